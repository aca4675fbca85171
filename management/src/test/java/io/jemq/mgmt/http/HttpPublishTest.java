package io.jemq.mgmt.http;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's HTTP publish API: its curl command, run as a real curl process, reaches a real MQTT subscriber; the
 * credentials go through the MQTT auth chain (here emq_auth_username with allow_anonymous off).
 */
class HttpPublishTest {
    private static EmbeddedBroker broker;
    private static int port;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder()
                .set("listener.api.mgmt", "127.0.0.1:0", "mqtt.allow_anonymous", "false")
                .pluginConf("emq_auth_username", "auth.user.1.username = user\nauth.user.1.password = passwd\n")
                .loaded("emq_auth_username")
                .start();
        port = Api.port(broker);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Runs curl with these arguments; its exit status, what it printed and the HTTP status it got. */
    private static List<String> curl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-o", "-", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        int nl = out.lastIndexOf('\n');
        return List.of(out.substring(0, nl), out.substring(nl + 1));
    }

    @Test
    void theSeedsCurlCommandReachesASubscriber() throws Exception {
        Mqtt3BlockingClient sub = Clients.connect3(broker.port(), "sub", "user", "passwd");
        try (var publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("/a/b/c").qos(MqttQos.AT_LEAST_ONCE).send();
            // as written in the seed (-v --basic -k left out: they change only what curl prints)
            List<String> answer = curl("-u", "user:passwd", "-d",
                    "qos=1&retain=0&topic=/a/b/c&message=hello from http...",
                    "http://localhost:" + port + "/mqtt/publish");
            assertThat(answer).containsExactly("OK", "200");
            Mqtt3Publish m = Clients.next(publishes);
            assertThat(m.getTopic().toString()).isEqualTo("/a/b/c");
            assertThat(Clients.text(m)).isEqualTo("hello from http...");
            assertThat(m.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(m.isRetain()).isFalse();
        } finally {
            sub.disconnect();
        }
    }

    @Test
    void topicsListRetainAndClientId() throws Exception {
        List<String> answer = curl("-u", "user:passwd", "-d", "qos=0&retain=1&topics=t/1,t/2&message=kept&client=web",
                "http://127.0.0.1:" + port + "/mqtt/publish");
        assertThat(answer).containsExactly("OK", "200");
        assertThat(broker.broker().retainer().get("t/1").publisherId()).isEqualTo("web");
        assertThat(broker.broker().retainer().get("t/2").isRetain()).isTrue();
        broker.broker().retainer().remove("t/1");
        broker.broker().retainer().remove("t/2");
    }

    @Test
    void wrongOrMissingCredentialsAre401() throws Exception {
        String url = "http://127.0.0.1:" + port + "/mqtt/publish";
        assertThat(curl("-u", "user:wrong", "-d", "topic=x&message=m", url)).containsExactly("Unauthorized", "401");
        assertThat(curl("-u", "nobody:x", "-d", "topic=x&message=m", url)).containsExactly("Unauthorized", "401");
        assertThat(curl("-d", "topic=x&message=m", url)).containsExactly("Unauthorized", "401");
    }

    @Test
    void aWildcardTopicIs400AndABadQosToo() throws Exception {
        String url = "http://127.0.0.1:" + port + "/mqtt/publish";
        assertThat(curl("-u", "user:passwd", "-d", "topic=a/%2B/c&message=m", url))
                .containsExactly("Bad Topics", "400");
        assertThat(curl("-u", "user:passwd", "-d", "topic=a/%23&message=m", url)).containsExactly("Bad Topics", "400");
        assertThat(curl("-u", "user:passwd", "-d", "message=m", url)).containsExactly("Bad Topics", "400");
        assertThat(curl("-u", "user:passwd", "-d", "topic=a&qos=3&message=m", url)).containsExactly("Bad QoS", "400");
    }

    @Test
    void statusSaysTheNodeIsStarted() throws Exception {
        assertThat(curl("http://127.0.0.1:" + port + "/status"))
                .containsExactly("Node jemq@127.0.0.1 is started\njemq is running", "200");
    }
}
