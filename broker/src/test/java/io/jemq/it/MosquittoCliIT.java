package io.jemq.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.session.Session;
import io.jemq.testkit.Cli;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Mosquitto command-line clients against jemq, as the README's tour uses them. Each test is skipped when they are
 * not installed (run-tests.sh installs them, and fails on any skip).
 */
class MosquittoCliIT {

    // before each test, not all: surefire reports a class whose @BeforeAll was aborted as zero tests, not as skips
    @BeforeEach
    void mosquittoClientsInstalled() {
        assumeTrue(Tools.onPath("mosquitto_pub") && Tools.onPath("mosquitto_sub"),
                "mosquitto_pub/mosquitto_sub not installed (Debian package mosquitto-clients)");
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    void subReceivesWhatPubSends(String version, int qos) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            String topic = "cli/" + version + "/" + qos;
            try (Cli sub = Cli.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(b), "-V", version, "-v",
                    "-C", "1", "-W", "10", "-q", "2", "-i", "sub-" + version + qos, "-t", topic)) {
                awaitSubscribed(b, "sub-" + version + qos);
                try (Cli pub = Cli.start("mosquitto_pub", "-h", "127.0.0.1", "-p", port(b), "-V", version,
                        "-q", String.valueOf(qos), "-i", "pub-" + version + qos, "-t", topic, "-m", "hello " + qos)) {
                    assertThat(pub.exitCode()).isZero();
                }
                assertThat(sub.awaitLine(l -> l.startsWith(topic + " "))).isEqualTo(topic + " hello " + qos);
                assertThat(sub.exitCode()).as("mosquitto_sub -C 1 exits after one message").isZero();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"mqttv311", "mqttv5"})
    void retainedMessageReachesALaterSubscriber(String version) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            try (Cli pub = Cli.start("mosquitto_pub", "-h", "127.0.0.1", "-p", port(b), "-V", version, "-q", "1",
                    "-r", "-t", "cli/retained", "-m", "kept")) {
                assertThat(pub.exitCode()).isZero();
            }
            try (Cli sub = Cli.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(b), "-V", version, "-C", "1",
                    "-W", "10", "-t", "cli/retained", "-F", "%r %t %p")) {
                assertThat(sub.awaitLine(l -> l.contains("cli/retained"))).isEqualTo("1 cli/retained kept");
                assertThat(sub.exitCode()).isZero();
            }
        }
    }

    @Test
    void willOfAKilledSubscriberIsPublished() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient watcher = Clients.v3(b, "cli-will-watcher");
            watcher.connect();
            var got = publishes(watcher);
            watcher.subscribeWith().topicFilter("cli/will").qos(MqttQos.AT_LEAST_ONCE).send();
            try (Cli sub = Cli.start("mosquitto_sub", "-h", "127.0.0.1", "-p", port(b), "-i", "doomed",
                    "-t", "cli/anything", "--will-topic", "cli/will", "--will-payload", "doomed is gone",
                    "--will-qos", "1")) {
                awaitSubscribed(b, "doomed");
                sub.kill();
                assertThat(text(next(got))).isEqualTo("doomed is gone");
            }
            watcher.disconnect();
        }
    }

    /** The client's subscription is in place; its own output is block-buffered on a pipe, so ask the broker. */
    private static void awaitSubscribed(EmbeddedBroker b, String clientId) {
        await().atMost(Clients.WAIT).until(() -> {
            Session s = b.broker().sessions().get(clientId);
            return s != null && s.subscriptionCount() > 0;
        });
    }

    private static String port(EmbeddedBroker b) {
        return String.valueOf(b.port());
    }
}
