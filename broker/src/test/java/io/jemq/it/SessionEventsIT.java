package io.jemq.it;

import io.jemq.testkit.RawClient;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Clients;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.api.BrokerListener;
import io.jemq.api.DropReason;
import io.jemq.api.PublishedMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.jemq.testkit.Clients.WAIT;
import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link BrokerListener} on an embedded broker hears of real clients' sessions and messages: sessions
 * created, resumed and ended; messages published (wills too), delivered, acknowledged and dropped, with the reason.
 */
class SessionEventsIT {

    /** Each event as one line, e.g. {@code delivered ev-sub ev/1}. */
    private static final class Recorder implements BrokerListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void sessionCreated(String clientId) {
            events.add("created " + clientId);
        }

        @Override
        public void sessionResumed(String clientId) {
            events.add("resumed " + clientId);
        }

        @Override
        public void sessionEnded(String clientId) {
            events.add("ended " + clientId);
        }

        @Override
        public void messagePublished(PublishedMessage m) {
            events.add("published " + m.publisherId() + " " + m.topic());
        }

        @Override
        public void messageDelivered(String clientId, PublishedMessage m) {
            events.add("delivered " + clientId + " " + m.topic());
        }

        @Override
        public void messageAcked(String clientId, PublishedMessage m) {
            events.add("acked " + clientId + " " + m.topic());
        }

        @Override
        public void messageDropped(String clientId, PublishedMessage m, DropReason reason) {
            events.add("dropped " + clientId + " " + m.topic() + " " + reason);
        }

        void awaitEvent(String event) {
            await().atMost(WAIT).until(() -> events.contains(event));
        }
    }

    private static Recorder listen(EmbeddedBroker b) {
        Recorder r = new Recorder();
        b.broker().events().add(r);
        return r;
    }

    @Test
    void sessionsAreCreatedResumedAndEnded() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            Mqtt3BlockingClient c = Clients.v3(b, "ev-life");
            c.connectWith().cleanSession(false).send();
            c.disconnect();
            c.connectWith().cleanSession(false).send();
            r.awaitEvent("resumed ev-life");
            c.disconnect();
            c.connectWith().cleanSession(true).send();           // ends the kept session, starts a new one
            c.disconnect();                                       // a clean session ends with its connection
            await().atMost(WAIT).until(() -> r.events.stream().filter(e -> e.startsWith("ended")).count() == 2);
            assertThat(r.events.subList(0, 2)).containsExactly("created ev-life", "resumed ev-life");
            // the replaced session ends on its own loop while the new one starts on the connection's: either first
            assertThat(r.events.subList(2, 5)).containsExactlyInAnyOrder("ended ev-life", "created ev-life",
                    "ended ev-life");
        }
    }

    @Test
    void aQos1And2MessageIsPublishedDeliveredAndAcknowledged() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            Mqtt5BlockingClient sub = Clients.v5(b, "ev-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("ev/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "ev-pub");
            pub.connect();
            pub.publishWith().topic("ev/1").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("one")).send();
            next(got);
            pub.publishWith().topic("ev/2").qos(MqttQos.EXACTLY_ONCE).payload(bytes("two")).send();
            next(got);
            r.awaitEvent("acked ev-sub ev/1");
            r.awaitEvent("acked ev-sub ev/2");
            // each message in order; the two may interleave (the first is acknowledged on the subscriber's loop)
            assertThat(r.events).containsSubsequence("published ev-pub ev/1", "delivered ev-sub ev/1",
                    "acked ev-sub ev/1");
            assertThat(r.events).containsSubsequence("published ev-pub ev/2", "delivered ev-sub ev/2",
                    "acked ev-sub ev/2");
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void aMessageNobodySubscribedToIsDroppedAsNoSubscribers() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            Mqtt3BlockingClient pub = Clients.v3(b, "ev-lonely");
            pub.connect();
            pub.publishWith().topic("nobody/here").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send();
            r.awaitEvent("dropped null nobody/here NO_SUBSCRIBERS");
            assertThat(r.events).containsSubsequence("published ev-lonely nobody/here",
                    "dropped null nobody/here NO_SUBSCRIBERS");
            pub.disconnect();
        }
    }

    @Test
    void anOfflineSessionDropsQos0AndTheOldestWhenItsQueueIsFull() {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "2",
                "mqtt.mqueue.store_qos0", "false")) {
            Recorder r = listen(b);
            Mqtt3BlockingClient away = Clients.v3(b, "ev-away");
            away.connectWith().cleanSession(false).send();
            away.subscribeWith().topicFilter("q/#").qos(MqttQos.AT_LEAST_ONCE).send();
            away.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "ev-filler");
            pub.connect();
            pub.publishWith().topic("q/zero").qos(MqttQos.AT_MOST_ONCE).payload(bytes("0")).send();
            for (int i = 1; i <= 3; i++) {
                pub.publishWith().topic("q/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m")).send();
            }
            r.awaitEvent("dropped ev-away q/1 QUEUE_FULL");
            r.awaitEvent("dropped ev-away q/zero QOS0_OFFLINE");
            pub.disconnect();
        }
    }

    @Test
    void aMessageThatExpiresInTheQueueIsDroppedAsExpired() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            Mqtt5BlockingClient away = Clients.v5(b, "ev-late");
            away.connectWith().cleanStart(true).sessionExpiryInterval(60).send();
            away.subscribeWith().topicFilter("exp/#").qos(MqttQos.AT_LEAST_ONCE).send();
            away.disconnect();
            Mqtt5BlockingClient pub = Clients.v5(b, "ev-short");
            pub.connect();
            pub.publishWith().topic("exp/1").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1)
                    .payload(bytes("brief")).send();
            long published = System.currentTimeMillis();
            await().atMost(WAIT).until(() -> System.currentTimeMillis() - published > 1100);   // the message ages
            away.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            r.awaitEvent("dropped ev-late exp/1 EXPIRED");
            assertThat(r.events).doesNotContain("delivered ev-late exp/1");
            away.disconnect();
            pub.disconnect();
        }
    }

    @Test
    void aMessageLargerThanTheSubscribersMaximumPacketSizeIsDroppedAsTooLarge() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            Mqtt5BlockingClient small = Clients.v5(b, "ev-small");
            small.connectWith().restrictions().maximumPacketSize(100).applyRestrictions().send();
            small.subscribeWith().topicFilter("big/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "ev-big");
            pub.connect();
            pub.publishWith().topic("big/1").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[500]).send();
            r.awaitEvent("dropped ev-small big/1 TOO_LARGE");
            assertThat(r.events).doesNotContain("delivered ev-small big/1");
            pub.disconnect();
            small.disconnect();
        }
    }

    @Test
    void aWillIsPublished() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listen(b);
            RawClient c = RawClient.connected(b.port(), connect(4, "ev-dies").will("will/ev", "gone", 0, false));
            c.close();
            r.awaitEvent("published ev-dies will/ev");
            r.awaitEvent("dropped null will/ev NO_SUBSCRIBERS");
        }
    }

    @Test
    void aListenerThatThrowsDoesNotStopDelivery() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            b.broker().events().add(new BrokerListener() {
                @Override
                public void messageDelivered(String clientId, PublishedMessage message) {
                    throw new IllegalStateException("a broken listener");
                }
            });
            Mqtt3BlockingClient sub = Clients.v3(b, "ev-robust");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("r").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.publishWith().topic("r").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("still")).send();
            assertThat(Clients.text(next(got))).isEqualTo("still");
            sub.disconnect();
        }
    }
}
