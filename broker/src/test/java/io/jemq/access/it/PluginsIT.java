package io.jemq.access.it;

import io.jemq.api.ConfigException;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugins and their control commands at run time and across restarts, through the control socket. */
class PluginsIT {
    private static final String USERS = """
            auth.user.1.username = alice
            auth.user.1.password = wonderland
            """;

    @TempDir
    Path home;

    private EmbeddedBroker.Builder fixture() {
        return EmbeddedBroker.in(home).controlSocket().pluginConf("emq_auth_username", USERS)
                .pluginConf("emq_auth_clientid", "auth.client.1.clientid = dev-1\nauth.client.1.password = pw1\n")
                .set("mqtt.allow_anonymous", "false");
    }

    @Test
    void loadAndUnloadAtRunTime() {
        EmbeddedBroker.Builder f = fixture();
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "c", "alice", "wonderland")).isEqualTo(5);
            var reply = f.ctl("plugins", "load", "emq_auth_username");
            assertThat(reply.code()).isZero();
            assertThat(reply.output()).contains("Plugin emq_auth_username loaded successfully.");
            assertThat(Clients.connack3(b.port(), "c", "alice", "wonderland")).isZero();
            assertThat(f.read(f.data("loaded_plugins"))).isEqualTo("emq_auth_username.\n");
            assertThat(f.ctl("plugins", "list").output()).contains(
                    "Plugin(emq_auth_username, version=", "description=Authentication with Username/Password, "
                            + "active=true)", "Plugin(emq_auth_clientid, ", "active=false)",
                    "Asked first to last: emq_auth_username;");
            assertThat(f.ctl("users", "list").output()).isEqualTo("alice\n");
            assertThat(f.ctl("plugins", "load", "emq_auth_username").code()).isEqualTo(1);

            assertThat(f.ctl("plugins", "unload", "emq_auth_username").code()).isZero();
            assertThat(Clients.connack3(b.port(), "c", "alice", "wonderland")).isEqualTo(5);
            assertThat(f.ctl("users", "list").code()).isEqualTo(2);         // the command left with its plugin
            assertThat(f.read(f.data("loaded_plugins"))).isEmpty();
        }
    }

    @Test
    void loadedPluginsAndAddedUsersSurviveARestart() throws Exception {
        EmbeddedBroker.Builder f = fixture();
        try (EmbeddedBroker b = f.start()) {
            assertThat(f.ctl("plugins", "load", "emq_auth_username").code()).isZero();
            assertThat(f.ctl("plugins", "load", "emq_auth_clientid").code()).isZero();
            assertThat(f.ctl("users", "add", "bob", "builder-pw").code()).isZero();
            assertThat(f.ctl("users", "add", "bob", "other").code()).isEqualTo(1);
            assertThat(f.ctl("clientids", "add", "dev-2", "pw2").code()).isZero();
        }
        assertThat(f.read(f.data("loaded_plugins"))).isEqualTo("emq_auth_username.\nemq_auth_clientid.\n");
        try (EmbeddedBroker b = f.start()) {
            assertThat(b.broker().plugins().askOrder()).containsExactly("emq_auth_clientid", "emq_auth_username");
            assertThat(Clients.connack3(b.port(), "c1", "bob", "builder-pw")).isZero();
            assertThat(Clients.connack3(b.port(), "dev-2", "x", "pw2")).isZero();
            assertThat(f.ctl("users", "passwd", "bob", "new-pw").code()).isZero();
            assertThat(Clients.connack3(b.port(), "c1", "bob", "builder-pw")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c1", "bob", "new-pw")).isZero();
            assertThat(f.ctl("users", "del", "bob").code()).isZero();
            assertThat(f.ctl("users", "del", "bob").code()).isEqualTo(1);
            assertThat(Clients.connack3(b.port(), "c1", "bob", "new-pw")).isEqualTo(5);
            assertThat(f.ctl("clientids", "list").output()).isEqualTo("dev-1\ndev-2\n");
        }
        Path store = f.data("emq_auth_username.db");
        assertThat(f.read(store)).doesNotContain("wonderland", "builder-pw", "new-pw").contains("salt,sha256");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rw-------");
    }

    @Test
    void aBrokenConfigFailsTheLoadAndChangesNothing() {
        EmbeddedBroker.Builder f = fixture().pluginConf("test_a", "scripted.broken = on\n")
                .pluginConf("emq_auth_clientid", "auth.client.1.clientid = dev-1\n");
        try (EmbeddedBroker b = f.start()) {
            assertThat(f.ctl("plugins", "load", "emq_auth_username").code()).isZero();
            var reply = f.ctl("plugins", "load", "test_a");
            assertThat(reply.code()).isEqualTo(1);
            assertThat(reply.output()).contains("plugin test_a not loaded:", "test_a.conf:1: scripted.broken:");
            reply = f.ctl("plugins", "load", "emq_auth_clientid");
            assertThat(reply.code()).isEqualTo(1);
            assertThat(reply.output()).contains("emq_auth_clientid.conf:1: auth.client.1.password: expected a "
                    + "password for client id dev-1");
            assertThat(f.ctl("plugins", "load", "no_such_plugin").output()).contains("no plugin named no_such_plugin");
            assertThat(b.broker().plugins().askOrder()).containsExactly("emq_auth_username");
            assertThat(f.read(f.data("loaded_plugins"))).isEqualTo("emq_auth_username.\n");
            assertThat(Clients.connack3(b.port(), "c", "alice", "wonderland")).isZero();
        }
    }

    @Test
    void aBrokenListedPluginStopsTheStartAndAnUnknownOneIsKept() {
        EmbeddedBroker.Builder f = fixture().pluginConf("test_a", "scripted.broken = on\n").loaded("test_a");
        assertThatThrownBy(f::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plugin test_a not loaded");

        f.loaded("emq_dashboard", "emq_auth_username");
        try (EmbeddedBroker b = f.start()) {
            assertThat(b.broker().plugins().askOrder()).containsExactly("emq_auth_username");
            assertThat(f.ctl("plugins", "load", "emq_auth_clientid").code()).isZero();
            assertThat(f.read(f.data("loaded_plugins")))
                    .isEqualTo("emq_dashboard.\nemq_auth_username.\nemq_auth_clientid.\n");
        }
    }

    @Test
    void aBrokenAclConfStopsTheStartNamingItsLine() {
        EmbeddedBroker.Builder f = fixture().acl("{allow, all}.\n{allow, {user, \"x\"}, publish, [\"a/#/b\"]}.\n");
        assertThatThrownBy(f::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("acl.conf:2:32: not a valid topic filter");
    }

    @Test
    void theControlSocketIsPrivateAndEveryCommandHasHelp() throws Exception {
        EmbeddedBroker.Builder f = fixture().loaded("emq_auth_username");
        try (EmbeddedBroker b = f.start()) {
            Path socket = f.data("jemq.ctl.sock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            var help = f.ctl("help");
            assertThat(help.code()).isZero();
            assertThat(help.output()).contains("acl reload", "plugins load <Plugin>", "users add <Username>");
            assertThat(f.ctl("users", "--help").output()).contains("users passwd <Username> <Password>");
            assertThat(f.ctl("plugins", "--help").output()).contains("plugins unload <Plugin>");
            assertThat(f.ctl("acl", "--help").output()).contains("acl reload");
            var unknown = f.ctl("frobnicate");
            assertThat(unknown.code()).isEqualTo(2);
            assertThat(unknown.output()).contains("unknown command 'frobnicate'");
            assertThat(f.ctl("users", "add", "only-name").code()).isEqualTo(2);
        }
        assertThat(f.data("jemq.ctl.sock")).doesNotExist();
    }
}
