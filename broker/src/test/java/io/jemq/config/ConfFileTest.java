package io.jemq.config;

import io.jemq.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfFileTest {
    @TempDir
    Path dir;

    private Path write(String... lines) throws IOException {
        Path file = dir.resolve("emq.conf");
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsKeyValueLinesAndSkipsCommentsAndBlankLines() throws IOException {
        ConfFile conf = ConfFile.load(write(
                "##====",
                "## mqtt.max_packet_size = 1KB",
                "# a single-hash comment",
                "   # an indented comment",
                "",
                "   ",
                "mqtt.max_packet_size = 64KB",
                "node.name=jemq@10.0.0.1",
                "\tmqtt.allow_anonymous   =   false   \t"));

        assertThat(conf.keys()).containsExactly("mqtt.max_packet_size", "node.name", "mqtt.allow_anonymous");
        assertThat(conf.find("mqtt.max_packet_size")).hasValue("64KB");
        assertThat(conf.find("node.name")).hasValue("jemq@10.0.0.1");
        assertThat(conf.find("mqtt.allow_anonymous")).hasValue("false");
    }

    @Test
    void keepsEqualsSpacesCommasAndHashesInsideValues() throws IOException {
        ConfFile conf = ConfFile.load(write(
                "auth.ldap.user_dn = uid=%u,ou=People,dc=example,dc=com",
                "auth.http.auth_req.params = clientid=%c,username=%u,password=%P",
                "auth.mysql.auth_query = select password from mqtt_user where username = '%u' limit 1",
                "auth.redis.password = pa#ss word",
                "auth.mysql.password ="));

        assertThat(conf.find("auth.ldap.user_dn")).hasValue("uid=%u,ou=People,dc=example,dc=com");
        assertThat(conf.find("auth.http.auth_req.params")).hasValue("clientid=%c,username=%u,password=%P");
        assertThat(conf.find("auth.mysql.auth_query"))
                .hasValue("select password from mqtt_user where username = '%u' limit 1");
        assertThat(conf.find("auth.redis.password")).hasValue("pa#ss word");
        assertThat(conf.find("auth.mysql.password")).hasValue("");
    }

    @Test
    void aLaterLineForTheSameKeyWinsAndIsTheOrigin() throws IOException {
        Path file = write(
                "mqtt.max_clientid_len = 100",
                "mqtt.allow_anonymous = true",
                "mqtt.max_clientid_len = 200");
        ConfFile conf = ConfFile.load(file);

        assertThat(conf.integer("mqtt.max_clientid_len", 1024)).isEqualTo(200);
        assertThat(conf.origin("mqtt.max_clientid_len")).hasValue(file + ":3");
    }

    @Test
    void acceptsWindowsLineEndingsAndAByteOrderMark() throws IOException {
        Path file = dir.resolve("crlf.conf");
        Files.writeString(file, "\uFEFFnode.name = jemq@host\r\nmqtt.max_packet_size = 1MB\r\n",
                StandardCharsets.UTF_8);
        ConfFile conf = ConfFile.load(file);

        assertThat(conf.find("node.name")).hasValue("jemq@host");
        assertThat(conf.bytes("mqtt.max_packet_size", "64KB")).isEqualTo(1024 * 1024);
    }

    @Test
    void resolvesPlatformDirectoryTemplates() throws IOException {
        ConfFile conf = ConfFile.load(write(
                "mqtt.acl_file = {{ platform_etc_dir }}/acl.conf",
                "mqtt.plugins.etc_dir ={{platform_etc_dir}}/plugins/",
                "mqtt.plugins.loaded_file = {{ platform_data_dir }}/loaded_plugins",
                "log.dir = {{ platform_log_dir }}",
                "custom.path = {{ something_else }}/x"));

        assertThat(conf.find("mqtt.acl_file")).hasValue("etc/acl.conf");
        assertThat(conf.find("mqtt.plugins.etc_dir")).hasValue("etc/plugins/");
        assertThat(conf.find("mqtt.plugins.loaded_file")).hasValue("data/loaded_plugins");
        assertThat(conf.find("log.dir")).hasValue("log");
        assertThat(conf.find("custom.path")).hasValue("{{ something_else }}/x");
        assertThat(ConfFile.of(Map.of("k", "{{ platform_data_dir }}/x")).find("k")).hasValue("data/x");
    }

    @Test
    void aLineWithoutEqualsNamesFileAndLine() throws IOException {
        Path file = write("node.name = jemq@127.0.0.1", "", "mqtt.allow_anonymous true");

        assertThatThrownBy(() -> ConfFile.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: expected a line such as \"key = value\", got \"mqtt.allow_anonymous true\"");
    }

    @Test
    void aBadKeyNamesFileAndLine() throws IOException {
        Path file = write("mqtt..allow_anonymous = true");

        assertThatThrownBy(() -> ConfFile.load(file))
                .hasMessage(file + ":1: expected a dotted key such as mqtt.max_packet_size, "
                        + "got \"mqtt..allow_anonymous\"");
        assertThatThrownBy(() -> ConfFile.load(write("max packet size = 1")))
                .hasMessageContaining(":1: expected a dotted key");
        assertThatThrownBy(() -> ConfFile.load(write("= 1")))
                .hasMessageContaining(":1: expected a dotted key");
    }

    @Test
    void aMissingFileIsAConfigException() {
        Path file = dir.resolve("nope.conf");

        assertThatThrownBy(() -> ConfFile.load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void withReplacesOneSettingInACopyAndNamesSetAsItsOrigin() throws IOException {
        ConfFile file = ConfFile.load(write("mqtt.max_packet_size = 64KB", "mqtt.allow_anonymous = true"));
        ConfFile changed = file.with("mqtt.max_packet_size", "1MB").with("node.name", " jemq@x ");

        assertThat(changed.bytes("mqtt.max_packet_size", "64KB")).isEqualTo(1024 * 1024);
        assertThat(changed.origin("mqtt.max_packet_size")).hasValue("--set");
        assertThat(changed.find("node.name")).hasValue("jemq@x");
        assertThat(changed.origin("mqtt.allow_anonymous")).hasValueSatisfying(o -> assertThat(o).endsWith(":2"));
        assertThat(file.bytes("mqtt.max_packet_size", "1KB")).isEqualTo(64 * 1024);
        assertThat(file.contains("node.name")).isFalse();
        assertThatThrownBy(() -> file.with("bad key", "1")).hasMessageStartingWith("--set: expected a dotted key");
    }

    @Test
    void ofKeepsTheMapsOrderAndNamesSettingsAsOrigin() {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("b.key", "2");
        entries.put("a.key", "1");
        ConfFile conf = ConfFile.of(entries);

        assertThat(conf.keys()).containsExactly("b.key", "a.key");
        assertThat(conf.origin("a.key")).hasValue("<settings>");
        assertThat(conf.origin("c.key")).isEmpty();
    }

    @Test
    void namesListsTheNextSegmentUnderAPrefixInFileOrder() throws IOException {
        ConfFile conf = ConfFile.load(write(
                "listener.tcp.external = 1883",
                "listener.tcp.external.acceptors = 8",
                "listener.ssl.external = 8883",
                "listener.tcp.internal = 127.0.0.1:11883",
                "auth.user.2.username = b",
                "auth.user.1.username = a",
                "auth.user.1.password = pw",
                "listenerx.tcp.other = 1"));

        assertThat(conf.names("listener")).containsExactly("tcp", "ssl");
        assertThat(conf.names("listener.tcp")).containsExactly("external", "internal");
        assertThat(conf.names("listener.tcp.external")).containsExactly("acceptors");
        assertThat(conf.names("auth.user")).containsExactly("2", "1");
        assertThat(conf.names("auth.user.1")).containsExactly("username", "password");
        assertThat(conf.names("cluster")).isEmpty();
    }

    @Test
    void defaultsApplyWhenAKeyIsAbsent() {
        ConfFile empty = ConfFile.of(Map.of());

        assertThat(empty.string("node.name", "jemq@127.0.0.1")).isEqualTo("jemq@127.0.0.1");
        assertThat(empty.integer("k", 7)).isEqualTo(7);
        assertThat(empty.bool("k", true)).isTrue();
        assertThat(empty.duration("k", "2h")).hasHours(2);
        assertThat(empty.bytes("k", "64KB")).isEqualTo(65536);
        assertThat(empty.percentage("k", "20%")).isEqualTo(0.2);
        assertThat(empty.oneOf("k", SharedStrategy.class, SharedStrategy.STICKY)).isEqualTo(SharedStrategy.STICKY);
    }
}
