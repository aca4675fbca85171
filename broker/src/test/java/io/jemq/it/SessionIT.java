package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import io.jemq.sys.Counter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sessions: take-over, persistence across connections, the offline queue, expiry, subscription limits. */
class SessionIT {
    private static final Duration CLOSE = Duration.ofSeconds(2);

    @Test
    void secondConnectionWithSameIdTakesOverTheSession() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient first = RawClient.connected(b.port(), 4, "taken", false)) {
            first.send(Packets.subscribe(4, 1, "take/t", 1));
            first.expect(Packets.SUBACK);
            try (RawClient second = RawClient.open(b.port())) {
                Packet ack = second.connect(connect(4, "taken").clean(false));
                assertThat(ack.connackCode()).isZero();
                assertThat(ack.sessionPresent()).as("the session was taken over, not replaced").isTrue();
                assertThat(first.closedWithin(CLOSE)).as("first connection closed").isTrue();

                Mqtt3BlockingClient pub = Clients.v3(b, "take-pub");
                pub.connect();
                pub.publishWith().topic("take/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("still subscribed")).send();
                Packet p = second.expect(Packets.PUBLISH);
                assertThat(p.topic()).isEqualTo("take/t");
                assertThat(p.payload()).isEqualTo("still subscribed");
                pub.disconnect();
            }
        }
    }

    @Test
    void mqtt5TakenOverClientGetsDisconnect0x8E() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient first = RawClient.connected(b.port(), 5, "taken5", true);
             RawClient second = RawClient.connected(b.port(), 5, "taken5", true)) {
            Packet last = first.lastPacketBeforeClose(CLOSE).orElseThrow(
                    () -> new AssertionError("no DISCONNECT before the close"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x8E);
            second.send(Packets.pingreq());
            second.expect(Packets.PINGRESP);
        }
    }

    @Test
    void takeOverWithHiveMqClientKeepsSubscriptions() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient first = Clients.v3(b, "hive-taken");
            first.connectWith().cleanSession(false).send();
            first.subscribeWith().topicFilter("take/hive").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt3BlockingClient second = Clients.v3(b, "hive-taken");
            var got = publishes(second);
            Mqtt3ConnAck ack = second.connectWith().cleanSession(false).send();
            assertThat(ack.isSessionPresent()).isTrue();
            await().atMost(CLOSE).until(() -> !first.getState().isConnected());

            Mqtt3BlockingClient pub = Clients.v3(b, "hive-take-pub");
            pub.connect();
            pub.publishWith().topic("take/hive").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x")).send();
            assertThat(text(next(got))).isEqualTo("x");
            pub.disconnect();
            second.disconnect();
        }
    }

    @Test
    void takeOverWithCleanSessionDiscardsTheOldSession() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient first = RawClient.connected(b.port(), 4, "replaced", false)) {
            first.send(Packets.subscribe(4, 1, "replaced/t", 1));
            first.expect(Packets.SUBACK);
            try (RawClient second = RawClient.open(b.port())) {
                Packet ack = second.connect(connect(4, "replaced").clean(true));
                assertThat(ack.connackCode()).isZero();
                assertThat(ack.sessionPresent()).isFalse();
                assertThat(first.closedWithin(CLOSE)).isTrue();
                second.send(Packets.subscribe(4, 1, "replaced/marker", 1));
                second.expect(Packets.SUBACK);
                Mqtt3BlockingClient pub = Clients.v3(b, "replaced-pub");
                pub.connect();
                pub.publishWith().topic("replaced/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("old sub")).send();
                pub.publishWith().topic("replaced/marker").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m")).send();
                assertThat(second.expect(Packets.PUBLISH).topic()).as("the old subscription is gone")
                        .isEqualTo("replaced/marker");
                pub.disconnect();
            }
        }
    }

    @Test
    void offlineMessagesKeepTheirOrderThroughASmallInflightWindow() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_inflight", "1")) {
            Mqtt3BlockingClient sub = Clients.v3(b, "narrow");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("narrow/t").qos(MqttQos.EXACTLY_ONCE).send();
            sub.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "narrow-pub");
            pub.connect();
            for (int i = 0; i < 6; i++) {
                pub.publishWith().topic("narrow/t").qos(MqttQos.fromCode(1 + i % 2)).payload(bytes("m" + i)).send();
            }
            Mqtt3BlockingClient again = Clients.v3(b, "narrow");
            var got = publishes(again);
            again.connectWith().cleanSession(false).send();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                received.add(text(next(got)));
            }
            assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
            pub.disconnect();
            again.disconnect();
        }
    }

    @Test
    void persistentSessionReceivesWhatWasPublishedWhileOffline() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "persistent");
            Mqtt3ConnAck first = sub.connectWith().cleanSession(false).send();
            assertThat(first.isSessionPresent()).isFalse();
            sub.subscribeWith().topicFilter("offline/t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();

            Mqtt3BlockingClient pub = Clients.v3(b, "offline-pub");
            pub.connect();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("offline/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }

            Mqtt3BlockingClient again = Clients.v3(b, "persistent");
            var got = publishes(again);
            Mqtt3ConnAck ack = again.connectWith().cleanSession(false).send();
            assertThat(ack.isSessionPresent()).isTrue();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                var m = next(got);
                assertThat(m.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
                received.add(text(m));
            }
            assertThat(received).containsExactly("m0", "m1", "m2", "m3", "m4");
            pub.disconnect();
            again.disconnect();
        }
    }

    @Test
    void cleanSessionStartsEmpty() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "cleaned");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("clean/t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "clean-pub");
            pub.connect();
            pub.publishWith().topic("clean/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("old")).send();

            Mqtt3BlockingClient again = Clients.v3(b, "cleaned");
            var got = publishes(again);
            Mqtt3ConnAck ack = again.connectWith().cleanSession(true).send();
            assertThat(ack.isSessionPresent()).isFalse();
            // the old subscription is gone: a marker on a new subscription is the first and only message
            again.subscribeWith().topicFilter("clean/t").qos(MqttQos.AT_LEAST_ONCE).send();
            pub.publishWith().topic("clean/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("marker")).send();
            assertThat(text(next(got))).isEqualTo("marker");
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            again.disconnect();
        }
    }

    @Test
    void fullOfflineQueueDropsTheOldest() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "3")) {
            Mqtt3BlockingClient sub = Clients.v3(b, "queued");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("queue/t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "queue-pub");
            pub.connect();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("queue/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }
            await().atMost(CLOSE).until(() -> b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL) == 2);

            Mqtt3BlockingClient again = Clients.v3(b, "queued");
            var got = publishes(again);
            again.connectWith().cleanSession(false).send();
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                received.add(text(next(got)));
            }
            pub.publishWith().topic("queue/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("live")).send();
            received.add(text(next(got)));
            assertThat(received).containsExactly("m2", "m3", "m4", "live");
            pub.disconnect();
            again.disconnect();
        }
    }

    @Test
    void storeQos0OffDropsOfflineQos0Messages() throws Exception {
        assertThat(offlineDelivery("off")).containsExactly("q1", "live");
    }

    @Test
    void storeQos0OnKeepsOfflineQos0Messages() throws Exception {
        assertThat(offlineDelivery("on")).containsExactly("q0", "q1", "live");
    }

    /** Publishes a QoS 0 then a QoS 1 message to an offline session, reconnects, and lists what arrives. */
    private static List<String> offlineDelivery(String storeQos0) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.store_qos0", storeQos0)) {
            Mqtt3BlockingClient sub = Clients.v3(b, "qos0-offline");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("q/t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "qos0-pub");
            pub.connect();
            pub.publishWith().topic("q/t").qos(MqttQos.AT_MOST_ONCE).payload(bytes("q0")).send();
            pub.publishWith().topic("q/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("q1")).send();

            Mqtt3BlockingClient again = Clients.v3(b, "qos0-offline");
            var got = publishes(again);
            again.connectWith().cleanSession(false).send();
            List<String> received = new ArrayList<>();
            received.add(text(next(got)));
            if (received.get(0).equals("q0")) {
                received.add(text(next(got)));
            }
            pub.publishWith().topic("q/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("live")).send();
            received.add(text(next(got)));
            pub.disconnect();
            again.disconnect();
            return received;
        }
    }

    @Test
    void mqtt5SessionExpiresAfterItsInterval() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient c = Clients.v5(b, "expiring5");
            c.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
            c.subscribeWith().topicFilter("exp/t").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();

            Mqtt5ConnAck resumed = c.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
            assertThat(resumed.isSessionPresent()).as("reconnected within the expiry").isTrue();
            c.disconnect();
            long disconnectedAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(4)).until(() -> b.broker().sessions().get("expiring5") == null);
            assertThat((System.nanoTime() - disconnectedAt) / 1_000_000).as("not before its expiry")
                    .isGreaterThanOrEqualTo(800);
            Mqtt5ConnAck expired = c.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
            assertThat(expired.isSessionPresent()).isFalse();
            c.disconnect();
        }
    }

    @Test
    void mqtt5SessionExpiryZeroEndsTheSessionWithTheConnection() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient c = Clients.v5(b, "no-expiry5");
            c.connectWith().cleanStart(false).sessionExpiryInterval(0).send();
            c.subscribeWith().topicFilter("exp0/t").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();
            assertThat(c.connectWith().cleanStart(false).send().isSessionPresent()).isFalse();
            c.disconnect();
        }
    }

    @Test
    void mqtt5DisconnectCanShortenTheSessionExpiry() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient c = Clients.v5(b, "shortened5");
            c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            c.subscribeWith().topicFilter("short/t").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnectWith().sessionExpiryInterval(0).send();
            Mqtt5ConnAck ack = c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
            assertThat(ack.isSessionPresent()).as("DISCONNECT set the expiry to 0").isFalse();
            c.disconnect();
        }
    }

    @Test
    void mqtt311SessionExpiresAfterConfiguredInterval() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.expiry_interval", "1s")) {
            Mqtt3BlockingClient c = Clients.v3(b, "expiring3");
            c.connectWith().cleanSession(false).send();
            c.subscribeWith().topicFilter("exp3/t").qos(MqttQos.AT_LEAST_ONCE).send();
            c.disconnect();
            assertThat(b.broker().sessions().get("expiring3")).as("kept while within the expiry").isNotNull();

            await().atMost(Duration.ofSeconds(4)).until(() -> b.broker().sessions().get("expiring3") == null);
            Mqtt3ConnAck ack = c.connectWith().cleanSession(false).send();
            assertThat(ack.isSessionPresent()).isFalse();
            c.disconnect();
        }
    }

    @Test
    void subscriptionsBeyondMaxSubscriptionsAreRefused() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_subscriptions", "2")) {
            try (RawClient c = RawClient.connected(b.port(), 4, "max-subs3", true)) {
                assertThat(subscribe(c, 1, "s/1", 1)).containsExactly(1);
                assertThat(subscribe(c, 2, "s/2", 1)).containsExactly(1);
                assertThat(subscribe(c, 3, "s/3", 1)).containsExactly(0x80);
                assertThat(subscribe(c, 4, "s/1", 0)).as("replacing an existing one is fine").containsExactly(0);
            }
            try (RawClient c = RawClient.connected(b.port(), 5, "max-subs5", true)) {
                assertThat(subscribe(c, 1, "s/1", 1)).containsExactly(1);
                assertThat(subscribe(c, 2, "s/2", 1)).containsExactly(1);
                assertThat(subscribe(c, 3, "s/3", 1)).containsExactly(0x97);
            }
        }
    }

    private static int[] subscribe(RawClient c, int packetId, String filter, int qos) throws Exception {
        c.send(Packets.subscribe(c.version(), packetId, filter, qos));
        Packet ack = c.expect(Packets.SUBACK);
        assertThat(ack.packetId()).isEqualTo(packetId);
        return ack.subackCodes();
    }
}
