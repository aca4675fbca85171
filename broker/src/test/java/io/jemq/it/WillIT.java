package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wills: published when a client goes away without DISCONNECT (socket closed, keepalive timeout), not after a
 * normal DISCONNECT; 5.0 DISCONNECT 0x04 and the will delay, which a take-over that resumes the session cancels and
 * one that starts clean cuts short (MQTT 5.0 3.1.3.2.2: the will goes at the earlier of the delay and the session's
 * end, and not at all when a new connection resumes the session in time).
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

    // ------------------------------------------------------------------------------------------------ take-over

    @Test
    void mqtt5TakeOverResumingTheSessionWithinTheWillDelayCancelsTheWill() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            Mqtt5BlockingClient first = withDelayedWill(b, "resumed", 2);
            first.connectWith().cleanStart(false).sessionExpiryInterval(60).send();

            Mqtt5BlockingClient second = Clients.v5(b, "resumed");
            var ack = second.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            assertThat(ack.isSessionPresent()).isTrue();
            await().atMost(Clients.WAIT).until(() -> !first.getState().isConnected());
            // the broker closed the first connection before it noticed: its 2 s will delay would be over within 3 s
            assertThat(got.receive(3, TimeUnit.SECONDS)).as("no will: the session was resumed").isEmpty();
            second.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void mqtt5TakeOverWithCleanStartPublishesTheWillAtOnce() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            Mqtt5BlockingClient first = withDelayedWill(b, "restarted", 30);
            first.connectWith().cleanStart(false).sessionExpiryInterval(60).send();

            Mqtt5BlockingClient second = Clients.v5(b, "restarted");
            assertThat(second.connectWith().cleanStart(true).send().isSessionPresent()).isFalse();
            // the clean start ended the session the will belongs to: the will goes now, not in 30 s
            var will = got.receive(5, TimeUnit.SECONDS);
            assertThat(will).as("the will when the old session ended").isPresent();
            assertThat(text(will.get())).isEqualTo("restarted is gone");
            second.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void mqtt5WillDelayRunsOutWithoutATakeOver() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "wd/#");
            var got = sub.got();
            Mqtt5BlockingClient c = withDelayedWill(b, "leaves", 2);
            c.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            c.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
            long leftAt = System.nanoTime();
            var will = got.receive(6, TimeUnit.SECONDS);
            assertThat(will).as("the will after its delay").isPresent();
            assertThat(text(will.get())).isEqualTo("leaves is gone");
            assertThat((System.nanoTime() - leftAt) / 1_000_000).as("not before the 2 s delay").isGreaterThan(1_800);
            sub.disconnect();
        }
    }

    @ParameterizedTest(name = "new connection clean session {0}")
    @ValueSource(booleans = {false, true})
    void mqtt311TakeOverPublishesTheWillAtOnceEitherWay(boolean cleanSession) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Watcher sub = watcher(b, "will/#");
            var got = sub.got();
            Mqtt3BlockingClient first = Clients.v3(b, "twin311");
            first.connectWith().cleanSession(false).willPublish().topic("will/twin311").payload(bytes("lost"))
                    .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish().send();
            Mqtt3BlockingClient second = Clients.v3(b, "twin311");
            second.connectWith().cleanSession(cleanSession).send();
            assertThat(text(next(got))).isEqualTo("lost");
            second.disconnect();
            sub.disconnect();
        }
    }

    private static Mqtt5BlockingClient withDelayedWill(EmbeddedBroker b, String id, long delaySeconds) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port())
                .willPublish().topic("wd/" + id).payload(bytes(id + " is gone")).qos(MqttQos.AT_LEAST_ONCE)
                .delayInterval(delaySeconds).applyWillPublish().buildBlocking();
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
