package io.jemq.auth.http;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.api.ConfigException;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.http.HttpFixture.live;
import static io.jemq.auth.http.HttpFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shipped {@code etc/plugins/emq_auth_http.conf} pointed at a real server, changed at run time through the
 * handle management gets from the broker: the next requests follow, the file is rewritten with its comments and
 * spelling kept, a wrong value changes nothing, and loading the plugin again reads the same settings back.
 */
class HttpLiveSettingsIT {
    @Test
    void anUpdateAppliesAtOnceIsWrittenBackWithItsCommentsAndReadsBackTheSame() throws Exception {
        String shipped = Files.readString(Path.of("../etc/plugins/emq_auth_http.conf"));
        try (AuthServer server = AuthServer.http()) {
            server.answer(r -> r.path().equals("/mqtt/superuser") ? new AuthServer.Reply(403, "")
                    : AuthServer.Reply.ok());                                   // nobody skips the ACL
            String conf = shipped.replace("http://127.0.0.1:8080", server.url(""));
            EmbeddedBroker.Builder builder = EmbeddedBroker.builder().set("mqtt.acl_cache.enable", "off")
                    .pluginConf(HttpFixture.PLUGIN, conf).loaded(HttpFixture.PLUGIN);
            try (EmbeddedBroker b = builder.start()) {
                Path file = builder.etc("plugins/" + HttpFixture.PLUGIN + ".conf");
                Mqtt5BlockingClient c = Clients.connect5(b.port(), "live-1", "lee", "pw");
                assertThat(publish(c, "a/b")).isZero();
                assertThat(server.last("/mqtt/acl").method()).isEqualTo("GET");

                Map<String, String> now = live(b).update(Map.of(
                        "auth.http.acl_req", server.url("/v2/acl"),               // EMQ 2.x spelling
                        "auth.http.acl_req.headers.x-token", "t-1",
                        "auth.http.acl_cache_ttl", "30s"));

                assertThat(now).containsEntry("auth.http.acl_req.url", server.url("/v2/acl"))
                        .containsEntry("auth.http.acl_cache_ttl", "30s");
                assertThat(publish(c, "a/b")).isZero();
                assertThat(server.last("/v2/acl").header("x-token")).isEqualTo("t-1");
                String written = Files.readString(file);
                assertThat(commentsOf(written)).startsWith(commentsOf(conf).toArray(String[]::new))
                        .endsWith("## Set at run time (management API or dashboard)");
                assertThat(written).contains("\nauth.http.acl_req = " + server.url("/v2/acl") + "\n")
                        .contains("\nauth.http.acl_req.params = access=%A,username=%u,clientid=%c,ipaddr=%a,"
                                + "topic=%t\n")
                        .contains("\nauth.http.acl_req.headers.x-token = t-1\n")
                        .contains("\nauth.http.acl_cache_ttl = 30s\n")
                        .doesNotContain("\nauth.http.acl_req.url")          // no second spelling of the URL
                        .doesNotContain("\nauth.http.timeout");                 // defaults are not spelled out

                assertThatThrownBy(() -> live(b).update(Map.of("auth.http.timeout", "forever")))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("auth.http.timeout: expected a duration");
                assertThat(Files.readString(file)).isEqualTo(written);
                assertThat(live(b).current()).isEqualTo(now);

                b.broker().plugins().unload(HttpFixture.PLUGIN);
                b.broker().plugins().load(HttpFixture.PLUGIN);
                assertThat(live(b).current()).isEqualTo(now);
                c.disconnect();
            }
        }
    }

    private static List<String> commentsOf(String text) {
        return text.lines().filter(l -> l.startsWith("##")).toList();
    }
}
