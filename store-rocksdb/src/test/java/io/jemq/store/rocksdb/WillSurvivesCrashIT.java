package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 5.0 will waiting for its Will Delay Interval when the broker is killed is published after the restart, once its
 * delay (counted from when the connection left) has passed: the disk store keeps pending wills with the session.
 */
class WillSurvivesCrashIT {
    @TempDir
    Path home;

    @Test
    void aDelayedWillPendingAtAKillIsPublishedAfterTheRestart() throws Exception {
        int port = CrashableBroker.freePort();
        List<String> printed = new CopyOnWriteArrayList<>();
        Process broker = CrashableBroker.launch(home, port, printed::add);
        try {
            Mqtt5BlockingClient watcher = client("wc-watcher", port);
            watcher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            watcher.subscribeWith().topicFilter("wc/#").qos(MqttQos.AT_LEAST_ONCE).send();
            watcher.disconnect();

            RawClient.connected(port, Packets.connect(5, "wc-client").clean(false)
                    .properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 600))
                    .will("wc/will", "gone", 1, false)
                    .willProperties(new Packets.Props().u32(Packets.Props.WILL_DELAY, 3))).close();
            long left = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.contains("DISCONNECTED wc-client"));
            // one queue of writes, applied in order: the marker's PUBACK means the will written before it is durable
            Mqtt5BlockingClient pub = client("wc-pub", port);
            pub.connect();
            pub.publishWith().topic("wc/marker").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("marker")).send();
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(broker.exitValue()).as("killed before the will delay ran out").isEqualTo(137);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left)).isLessThan(3000);

            broker = CrashableBroker.launch(home, port, printed::add);
            List<String> got = new CopyOnWriteArrayList<>();
            Mqtt5BlockingClient back = client("wc-watcher", port);
            back.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                    p -> got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("gone"));
            assertThat(got).containsExactly("marker", "gone");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left)).as("not before its delay")
                    .isGreaterThanOrEqualTo(3000);
            back.disconnect();
        } finally {
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWillOfASessionThatExpiredWhileTheBrokerWasDownIsPublishedAtTheRestart() throws Exception {
        int port = CrashableBroker.freePort();
        List<String> printed = new CopyOnWriteArrayList<>();
        Process broker = CrashableBroker.launch(home, port, printed::add);
        try {
            Mqtt5BlockingClient watcher = client("we-watcher", port);
            watcher.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            watcher.subscribeWith().topicFilter("we/#").qos(MqttQos.AT_LEAST_ONCE).send();
            watcher.disconnect();

            // the session ends 2 s after the connection, long before the will's delay: its end makes the will due
            RawClient.connected(port, Packets.connect(5, "we-client").clean(false)
                    .properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 2))
                    .will("we/will", "expired", 1, false)
                    .willProperties(new Packets.Props().u32(Packets.Props.WILL_DELAY, 600))).close();
            long left = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> printed.contains("DISCONNECTED we-client"));
            Mqtt5BlockingClient pub = client("we-pub", port);
            pub.connect();
            pub.publishWith().topic("we/marker").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("marker")).send();
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left)).as("killed before the session expired")
                    .isLessThan(2000);
            // the broker stays down past the session's expiry
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left) > 2500);

            broker = CrashableBroker.launch(home, port, printed::add);
            List<String> got = new CopyOnWriteArrayList<>();
            Mqtt5BlockingClient back = client("we-watcher", port);
            back.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                    p -> got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("expired"));
            assertThat(got).containsExactly("marker", "expired");
            back.disconnect();
        } finally {
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Mqtt5BlockingClient client(String id, int port) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
