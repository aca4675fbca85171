package io.jemq.plugin;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import io.jemq.api.ClientInfo;
import io.jemq.api.PasswordHash;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample plugin, found by ServiceLoader, loaded with {@code plugins load} and used by a real MQTT client. */
class SamplePluginIT {
    @TempDir
    Path home;

    private static String sha256(String password) {
        return PasswordHash.parse("sha256").hash(password.getBytes(StandardCharsets.UTF_8), null);
    }

    private EmbeddedBroker.Builder fixture() {
        return EmbeddedBroker.in(home).controlSocket().set("mqtt.allow_anonymous", "false")
                .pluginConf("emq_auth_sample", """
                auth.sample.user_dn = uid=%u,ou=People,dc=example,dc=com
                auth.sample.password_hash = sha256
                auth.sample.entry.1.dn = uid=alice,ou=People,dc=example,dc=com
                auth.sample.entry.1.password = """ + sha256("wonderland") + """

                auth.sample.entry.2.dn = uid=admin\\,ou\\=Admins,ou=People,dc=example,dc=com
                auth.sample.entry.2.password = """ + sha256("root") + """

                auth.sample.pool = 2
                """);
    }

    /** The 3.1.1 CONNACK code: 0 when accepted (then disconnected again). */
    private static int connack(int port, String user, String password) {
        Mqtt3BlockingClient c = Mqtt3Client.builder().identifier("sample-client").serverHost("127.0.0.1")
                .serverPort(port).buildBlocking();
        try {
            c.connectWith().simpleAuth(Mqtt3SimpleAuth.builder().username(user)
                    .password(password.getBytes(StandardCharsets.UTF_8)).build()).send();
            c.disconnect();
            return 0;
        } catch (Mqtt3ConnAckException e) {
            return e.getMqttMessage().getReturnCode().getCode();
        }
    }

    @Test
    void theSamplePluginLoadsAtRunTimeAndAuthenticatesRealClients() {
        EmbeddedBroker.Builder f = fixture();
        try (EmbeddedBroker b = f.start()) {
            assertThat(connack(b.port(), "alice", "wonderland")).isEqualTo(5);      // not loaded: nobody decides

            var reply = f.ctl("plugins", "load", "emq_auth_sample");
            assertThat(reply.output()).contains("Plugin emq_auth_sample loaded successfully.");

            assertThat(connack(b.port(), "alice", "wonderland")).isZero();
            assertThat(connack(b.port(), "alice", "guess")).isEqualTo(4);
            assertThat(connack(b.port(), "mallory", "x")).isEqualTo(5);
            // the username is escaped into the DN (RFC 4514) as the directory writes it, never read as more RDNs
            assertThat(connack(b.port(), "admin,ou=Admins", "root")).isZero();
            assertThat(connack(b.port(), "admin", "root")).isEqualTo(5);
            assertThat(b.broker().plugins().metrics("emq_auth_sample")).containsAllEntriesOf(Map.of(
                    "auth/success", 2L, "auth/failure", 1L, "auth/ignore", 2L));

            assertThat(f.ctl("plugins", "unload", "emq_auth_sample").code()).isZero();
            assertThat(connack(b.port(), "alice", "wonderland")).isEqualTo(5);
            assertThat(b.broker().plugins().metrics("emq_auth_sample")).isEmpty();
        }
    }

    @Test
    void itsListenerCountsBrokerEventsWhileLoaded() {
        EmbeddedBroker.Builder f = fixture().loaded("emq_auth_sample");
        try (EmbeddedBroker b = f.start()) {
            // fired by hand: which events the core fires is another part's test; this one is the plugin's side
            b.broker().events().clientConnected(new ClientInfo("c1", "alice", null, 4, "tcp"), 0);
            b.broker().events().clientConnected(new ClientInfo("c2", "alice", null, 4, "tcp"), 4);

            assertThat(b.broker().plugins().metrics("emq_auth_sample").get("clients/connected")).isEqualTo(1L);
        }
    }

    @Test
    void aBrokenTemplateFailsTheLoadNamingTheKey() {
        EmbeddedBroker.Builder f = fixture().pluginConf("emq_auth_sample", "auth.sample.user_dn = uid=%t,ou=People\n");
        try (EmbeddedBroker b = f.start()) {
            var reply = f.ctl("plugins", "load", "emq_auth_sample");

            assertThat(reply.code()).isEqualTo(1);
            assertThat(reply.output()).contains("emq_auth_sample.conf:1: auth.sample.user_dn: expected placeholders "
                    + "among %u %c %a %P %m %C %d (%t, the topic, is not known here), got \"uid=%t,ou=People\"");
        }
    }
}
