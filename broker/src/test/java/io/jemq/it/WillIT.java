package io.jemq.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.jemq.it.Clients.bytes;
import static io.jemq.it.Clients.next;
import static io.jemq.it.Clients.publishes;
import static io.jemq.it.Clients.quiet;
import static io.jemq.it.Clients.text;
import static io.jemq.it.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wills: published when a client goes away without DISCONNECT (socket closed, keepalive timeout), not after a
 * normal DISCONNECT; 5.0 DISCONNECT 0x04 and the will delay.
 *
 * <p>Not covered: wills published by {@code Broker.close()}. Closing the broker closes every connection at once,
 * the subscribers' included, so no client of the same broker can observe those wills.
 */
class WillIT {

    @Test
    void willIsPublishedWhenTheSocketClosesWithoutDisconnect() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            RawClient c = RawClient.connected(b.port(), connect(4, "dies").will("will/dies", "gone", 1, false));
            c.close();
            Mqtt3Publish m = next(got);
            assertThat(m.getTopic().toString()).isEqualTo("will/dies");
            assertThat(text(m)).isEqualTo("gone");
            assertThat(m.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(m.isRetain()).isFalse();
            sub.disconnect();
        }
    }

    @Test
    void willIsPublishedOnKeepaliveTimeout() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(),
                     connect(4, "stalls").keepAlive(1).will("will/stalls", "timed out", 0, false))) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            var m = got.receive(4, TimeUnit.SECONDS);
            assertThat(m).as("will within 4 s of silence on a 1 s keepalive").isPresent();
            assertThat(text(m.get())).isEqualTo("timed out");
            sub.disconnect();
        }
    }

    @Test
    void willIsNotPublishedAfterDisconnect() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            try (RawClient c = RawClient.connected(b.port(),
                    connect(4, "polite").will("will/polite", "should not appear", 1, false))) {
                c.send(Packets.disconnect());
                assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
            }
            // the clean session ends after any will would have been handed to subscribers
            await().atMost(Duration.ofSeconds(2)).until(() -> b.broker().sessions().get("polite") == null);
            publish(b, "will/marker", "marker");
            assertThat(text(next(got))).isEqualTo("marker");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void mqtt5DisconnectWithWillMessageReasonPublishesTheWill() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            try (RawClient c = RawClient.connected(b.port(),
                    connect(5, "leaves-will").will("will/leaves", "asked for", 1, false))) {
                c.send(Packets.disconnect5(0x04, new Packets.Props()));
                assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
            }
            assertThat(text(next(got))).isEqualTo("asked for");
            sub.disconnect();
        }
    }

    @Test
    void mqtt5NormalDisconnectDiscardsTheWill() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            try (RawClient c = RawClient.connected(b.port(),
                    connect(5, "leaves-quietly").will("will/quiet", "should not appear", 1, false))) {
                c.send(Packets.disconnect5(0x00, new Packets.Props()));
                assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> b.broker().sessions().get("leaves-quietly") == null);
            publish(b, "will/marker", "marker");
            assertThat(text(next(got))).isEqualTo("marker");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void takenOverConnectionPublishesItsWill() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            try (RawClient first = RawClient.connected(b.port(),
                    connect(4, "twin").clean(false).will("will/twin", "first connection lost", 1, false));
                 RawClient second = RawClient.connected(b.port(), 4, "twin", false)) {
                assertThat(first.closedWithin(Duration.ofSeconds(2))).isTrue();
                assertThat(text(next(got))).isEqualTo("first connection lost");
                second.send(Packets.disconnect());
            }
            sub.disconnect();
        }
    }

    @Test
    void willWithRetainFlagIsRetained() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher live = watcher(b, "will/#");
            var liveGot = live.got();
            RawClient c = RawClient.connected(b.port(), connect(4, "retains").will("will/status", "offline", 1, true));
            c.close();
            assertThat(text(next(liveGot))).isEqualTo("offline");

            Mqtt3BlockingClient later = Clients.v3(b, "later");
            later.connect();
            var got = publishes(later);
            later.subscribeWith().topicFilter("will/status").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3Publish m = next(got);
            assertThat(text(m)).isEqualTo("offline");
            assertThat(m.isRetain()).isTrue();
            live.disconnect();
            later.disconnect();
        }
    }

    @Test
    void mqtt5WillDelayPublishesAfterTheDelay() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            RawClient c = RawClient.connected(b.port(), connect(5, "delayed").clean(false)
                    .properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 60))
                    .will("wd/will", "late", 1, false)
                    .willProperties(new Packets.Props().u32(Packets.Props.WILL_DELAY, 1)));
            c.close();
            long closedAt = System.nanoTime();
            publish(b, "wd/marker", "marker");
            assertThat(text(next(got))).as("the marker comes before the delayed will").isEqualTo("marker");
            Mqtt3Publish will = next(got);
            assertThat(text(will)).isEqualTo("late");
            assertThat((System.nanoTime() - closedAt) / 1_000_000).as("after the will delay").isGreaterThan(800);
            sub.disconnect();
        }
    }

    @Test
    void mqtt5WillDelayIsCancelledByReconnectingInTime() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            Packets.Connect persistent = connect(5, "comes-back").clean(false)
                    .properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 60))
                    .will("wd/will", "should not appear", 1, false)
                    .willProperties(new Packets.Props().u32(Packets.Props.WILL_DELAY, 1));
            RawClient.connected(b.port(), persistent).close();
            try (RawClient again = RawClient.open(b.port())) {
                assertThat(again.connect(persistent).sessionPresent()).isTrue();
                publish(b, "wd/marker", "marker");
                assertThat(text(next(got))).isEqualTo("marker");
                // well past the 1 s delay: nothing
                assertThat(got.receive(1_500, TimeUnit.MILLISECONDS)).isEmpty();
                again.send(Packets.disconnect5(0x00, new Packets.Props()));
            }
            sub.disconnect();
        }
    }

    @Test
    void mqtt5WillIsPublishedWhenTheSessionEndsBeforeTheDelay() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            RawClient c = RawClient.connected(b.port(), connect(5, "short-session").clean(false)
                    .properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 1))
                    .will("wd/will", "session ended", 1, false)
                    .willProperties(new Packets.Props().u32(Packets.Props.WILL_DELAY, 30)));
            c.close();
            var m = got.receive(4, TimeUnit.SECONDS);
            assertThat(m).as("will at the session's end (1 s), not after the 30 s delay").isPresent();
            assertThat(text(m.get())).isEqualTo("session ended");
            sub.disconnect();
        }
    }

    /** A subscriber whose receive queue exists before it subscribes, so it misses nothing. */
    private record Watcher(Mqtt3BlockingClient client, Mqtt3BlockingClient.Mqtt3Publishes got) {
        void disconnect() {
            client.disconnect();
        }
    }

    private static Watcher watcher(EmbeddedBroker b, String filter) {
        Mqtt3BlockingClient sub = Clients.v3(b, "watcher-" + filter.replace('/', '-').replace("#", "all"));
        sub.connect();
        var got = publishes(sub);
        sub.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return new Watcher(sub, got);
    }

    private static void publish(EmbeddedBroker b, String topic, String payload) {
        Mqtt3BlockingClient pub = Clients.v3(b, "pub-" + topic.replace('/', '-'));
        pub.connect();
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(payload)).send();
        pub.disconnect();
    }
}
