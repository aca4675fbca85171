package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.jemq.testkit.Clients.QUIET;
import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;

/** QoS 0, 1 and 2 flows as the spec draws them, the inflight window, redelivery with DUP, QoS 2 receiver state. */
class QosIT {

    @Test
    void allQosLevelsBothWaysWithHiveMqMqtt5() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "q5-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("q5/#").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "q5-pub");
            pub.connect();
            for (int q = 0; q < 3; q++) {
                pub.publishWith().topic("q5/" + q).qos(MqttQos.fromCode(q)).payload(bytes("m" + q)).send();
                var m = next(got);
                assertThat(m.getTopic().toString()).isEqualTo("q5/" + q);
                assertThat(text(m)).isEqualTo("m" + q);
                assertThat(m.getQos().getCode()).isEqualTo(q);
            }
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void allQosLevelsBothWaysWithPaho() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            MqttClient sub = paho(b, "paho-sub");
            MqttClient pub = paho(b, "paho-pub");
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            sub.subscribe("paho/q", 2, (topic, m) -> got.add(m));
            for (int q = 0; q < 3; q++) {
                pub.publish("paho/q", bytes("p" + q), q, false);
                MqttMessage m = got.poll(5, TimeUnit.SECONDS);
                assertThat(m).as("message at QoS " + q).isNotNull();
                assertThat(new String(m.getPayload())).isEqualTo("p" + q);
                assertThat(m.getQos()).isEqualTo(q);
            }
            pub.disconnect();
            sub.disconnect();
            pub.close();
            sub.close();
        }
    }

    @Test
    void deliveryQosIsTheLowerOfPublishAndSubscription() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "down-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("down/t").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "down-pub");
            pub.connect();
            pub.publishWith().topic("down/t").qos(MqttQos.EXACTLY_ONCE).payload(bytes("two")).send();
            assertThat(next(got).getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            pub.publishWith().topic("down/t").qos(MqttQos.AT_MOST_ONCE).payload(bytes("zero")).send();
            assertThat(next(got).getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void upgradeQosDeliversAtTheSubscriptionQos() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.upgrade_qos", "on")) {
            Mqtt3BlockingClient sub = Clients.v3(b, "up-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("up/t").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "up-pub");
            pub.connect();
            pub.publishWith().topic("up/t").qos(MqttQos.AT_MOST_ONCE).payload(bytes("zero")).send();
            var m = next(got);
            assertThat(text(m)).isEqualTo("zero");
            assertThat(m.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void inflightWindowHoldsBackMessagesUntilAcked() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_inflight", "2",
                "mqtt.session.retry_interval", "60s");
             RawClient sub = RawClient.connected(b.port(), 4, "window", true)) {
            sub.send(Packets.subscribe(4, 1, "win/t", 1));
            sub.expect(Packets.SUBACK);
            Mqtt3BlockingClient pub = Clients.v3(b, "window-pub");
            pub.connect();
            for (int i = 0; i < 4; i++) {
                pub.publishWith().topic("win/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }
            Packet m0 = sub.expect(Packets.PUBLISH);
            Packet m1 = sub.expect(Packets.PUBLISH);
            assertThat(m0.payload()).isEqualTo("m0");
            assertThat(m1.payload()).isEqualTo("m1");
            assertThat(sub.poll(QUIET)).as("a third message while two are unacknowledged").isEmpty();

            sub.send(Packets.ack(Packets.PUBACK, m0.publishId()));
            Packet m2 = sub.expect(Packets.PUBLISH);
            assertThat(m2.payload()).isEqualTo("m2");
            assertThat(sub.poll(QUIET)).as("one ack frees one slot").isEmpty();

            sub.send(Packets.ack(Packets.PUBACK, m1.publishId()), Packets.ack(Packets.PUBACK, m2.publishId()));
            assertThat(sub.expect(Packets.PUBLISH).payload()).isEqualTo("m3");
            pub.disconnect();
        }
    }

    @Test
    void unacknowledgedQos1IsResentWithDup() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "500ms");
             RawClient sub = RawClient.connected(b.port(), 4, "retry1", true)) {
            sub.send(Packets.subscribe(4, 1, "retry/t", 1));
            sub.expect(Packets.SUBACK);
            publishOnce(b, "retry/t", MqttQos.AT_LEAST_ONCE, "again");
            Packet first = sub.expect(Packets.PUBLISH);
            assertThat(first.dup()).isFalse();
            Packet resent = sub.receive(Duration.ofSeconds(4));
            assertThat(resent.type()).isEqualTo(Packets.PUBLISH);
            assertThat(resent.dup()).as("DUP on the resend").isTrue();
            assertThat(resent.publishId()).isEqualTo(first.publishId());
            assertThat(resent.qos()).isEqualTo(1);
            assertThat(resent.payload()).isEqualTo("again");

            sub.send(Packets.ack(Packets.PUBACK, first.publishId()));
            assertThat(sub.poll(Duration.ofMillis(1200))).as("no resend once acknowledged").isEmpty();
        }
    }

    @Test
    void mqtt5ClientGetsNoResendWhileConnected() throws Exception {
        // MQTT 5.0 4.4: resending is only allowed on reconnect, never during a connection
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "500ms");
             RawClient sub = RawClient.connected(b.port(), 5, "retry5", true)) {
            sub.send(Packets.subscribe(5, 1, "retry5/t", 1));
            sub.expect(Packets.SUBACK);
            publishOnce(b, "retry5/t", MqttQos.AT_LEAST_ONCE, "once");
            Packet first = sub.expect(Packets.PUBLISH);
            assertThat(sub.poll(Duration.ofMillis(1200))).as("no resend within the connection").isEmpty();
            sub.send(Packets.ack(Packets.PUBACK, first.publishId()));
        }
    }

    @Test
    void uncompletedQos2IsResentAsPubrel() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "500ms");
             RawClient sub = RawClient.connected(b.port(), 4, "retry2", true)) {
            sub.send(Packets.subscribe(4, 1, "retry2/t", 2));
            sub.expect(Packets.SUBACK);
            publishOnce(b, "retry2/t", MqttQos.EXACTLY_ONCE, "two");
            Packet p = sub.expect(Packets.PUBLISH);
            assertThat(p.qos()).isEqualTo(2);
            sub.send(Packets.ack(Packets.PUBREC, p.publishId()));
            Packet rel = sub.expect(Packets.PUBREL);
            assertThat(rel.packetId()).isEqualTo(p.publishId());
            assertThat(rel.flags()).as("PUBREL's fixed flags").isEqualTo(0x02);
            Packet relAgain = sub.receive(Duration.ofSeconds(4));
            assertThat(relAgain.type()).as("PUBREL again, not the PUBLISH").isEqualTo(Packets.PUBREL);
            assertThat(relAgain.packetId()).isEqualTo(p.publishId());
            sub.send(Packets.ack(Packets.PUBCOMP, p.publishId()));
            assertThat(sub.poll(Duration.ofMillis(1200))).as("nothing after PUBCOMP").isEmpty();
        }
    }

    @Test
    void inflightMessagesAreResentWithDupOnReconnect() throws Exception {
        for (int version : new int[]{4, 5}) {
            try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "60s")) {
                Packets.Connect persistent = connect(version, "resend" + version).clean(false);
                if (version == 5) {
                    persistent.properties(new Packets.Props().u32(Packets.Props.SESSION_EXPIRY, 300));
                }
                Packet first;
                try (RawClient sub = RawClient.connected(b.port(), persistent)) {
                    sub.send(Packets.subscribe(version, 1, "resend/t", 1));
                    sub.expect(Packets.SUBACK);
                    publishOnce(b, "resend/t", MqttQos.AT_LEAST_ONCE, "unacked");
                    first = sub.expect(Packets.PUBLISH);
                    assertThat(first.dup()).isFalse();
                }
                try (RawClient again = RawClient.open(b.port())) {
                    Packet ack = again.connect(persistent);
                    assertThat(ack.sessionPresent()).isTrue();
                    Packet resent = again.expect(Packets.PUBLISH);
                    assertThat(resent.dup()).as("MQTT " + version + ": DUP on the resend").isTrue();
                    assertThat(resent.publishId()).isEqualTo(first.publishId());
                    assertThat(resent.payload()).isEqualTo("unacked");
                    again.send(Packets.ack(Packets.PUBACK, resent.publishId()));
                }
            }
        }
    }

    @Test
    void releasedQos2IsResentAsPubrelOnReconnect() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "60s")) {
            Packets.Connect persistent = connect(4, "rel-resend").clean(false);
            Packet p;
            try (RawClient sub = RawClient.connected(b.port(), persistent)) {
                sub.send(Packets.subscribe(4, 1, "rel/t", 2));
                sub.expect(Packets.SUBACK);
                publishOnce(b, "rel/t", MqttQos.EXACTLY_ONCE, "two");
                p = sub.expect(Packets.PUBLISH);
                sub.send(Packets.ack(Packets.PUBREC, p.publishId()));
                sub.expect(Packets.PUBREL);
            }
            try (RawClient again = RawClient.open(b.port())) {
                assertThat(again.connect(persistent).sessionPresent()).isTrue();
                Packet rel = again.receive(Duration.ofSeconds(5));
                assertThat(rel.type()).as("PUBREL, not the PUBLISH again").isEqualTo(Packets.PUBREL);
                assertThat(rel.packetId()).isEqualTo(p.publishId());
                again.send(Packets.ack(Packets.PUBCOMP, p.publishId()));
                assertThat(again.poll(Clients.QUIET)).isEmpty();
            }
        }
    }

    @Test
    void qos2PublisherThatDisconnectsMidFlowGetsExactlyOnce() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "once-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("once/t").qos(MqttQos.EXACTLY_ONCE).send();

            Packets.Connect persistent = connect(4, "once-pub").clean(false);
            byte[] publish = Packets.publish(4, "once/t", 2, false, false, 7, null, bytes("once"));
            byte[] resend = Packets.publish(4, "once/t", 2, false, true, 7, null, bytes("once"));
            try (RawClient pub = RawClient.connected(b.port(), persistent)) {
                pub.send(publish);
                assertThat(pub.expect(Packets.PUBREC).packetId()).isEqualTo(7);
            }
            try (RawClient pub = RawClient.open(b.port())) {
                assertThat(pub.connect(persistent).sessionPresent()).isTrue();
                pub.send(resend);
                assertThat(pub.expect(Packets.PUBREC).packetId()).isEqualTo(7);
                pub.send(Packets.ack(Packets.PUBREL, 7));
                Packet comp = pub.expect(Packets.PUBCOMP);
                assertThat(comp.packetId()).isEqualTo(7);

                // a marker published after the flow is the next thing the subscriber sees: no second "once"
                pub.send(Packets.publish(4, "once/t", 1, 8, "marker"));
                pub.expect(Packets.PUBACK);
            }
            assertThat(text(next(got))).isEqualTo("once");
            assertThat(text(next(got))).isEqualTo("marker");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void duplicateQos2PublishIsRoutedOnce() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "dup-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("dup/t").qos(MqttQos.EXACTLY_ONCE).send();
            try (RawClient pub = RawClient.connected(b.port(), 4, "dup-pub", true)) {
                pub.send(Packets.publish(4, "dup/t", 2, false, false, 9, null, bytes("first")));
                assertThat(pub.expect(Packets.PUBREC).packetId()).isEqualTo(9);
                pub.send(Packets.publish(4, "dup/t", 2, false, true, 9, null, bytes("first")));
                assertThat(pub.expect(Packets.PUBREC).packetId()).as("PUBREC again for the resend").isEqualTo(9);
                pub.send(Packets.ack(Packets.PUBREL, 9));
                assertThat(pub.expect(Packets.PUBCOMP).packetId()).isEqualTo(9);
                // once released, the id is free: the same id now carries a new message
                pub.send(Packets.publish(4, "dup/t", 2, false, false, 9, null, bytes("second")));
                assertThat(pub.expect(Packets.PUBREC).packetId()).isEqualTo(9);
                pub.send(Packets.ack(Packets.PUBREL, 9));
                pub.expect(Packets.PUBCOMP);
            }
            assertThat(text(next(got))).isEqualTo("first");
            assertThat(text(next(got))).isEqualTo("second");
            assertThat(quiet(got)).isEmpty();
            sub.disconnect();
        }
    }

    @Test
    void mqtt5ClientExceedingReceiveMaximumIsDisconnectedWith0x93() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_awaiting_rel", "2");
             RawClient pub = RawClient.open(b.port())) {
            Packet ack = pub.connect(connect(5, "greedy5"));
            assertThat(Packet.first(ack.connackProperties(), Packets.Props.RECEIVE_MAXIMUM)).isEqualTo(2L);
            pub.send(Packets.publish(5, "greedy/t", 2, 1, "a"));
            pub.expect(Packets.PUBREC);
            pub.send(Packets.publish(5, "greedy/t", 2, 2, "b"));
            pub.expect(Packets.PUBREC);
            pub.send(Packets.publish(5, "greedy/t", 2, 3, "c"));
            Packet last = pub.lastPacketBeforeClose(Duration.ofSeconds(2)).orElseThrow(
                    () -> new AssertionError("closed without DISCONNECT"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x93);
        }
    }

    private static void publishOnce(EmbeddedBroker b, String topic, MqttQos qos, String payload) {
        Mqtt3BlockingClient pub = Clients.v3(b, "once-" + topic.replace('/', '-'));
        pub.connect();
        pub.publishWith().topic(topic).qos(qos).payload(bytes(payload)).send();
        pub.disconnect();
    }

    private static MqttClient paho(EmbeddedBroker b, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + b.port(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        c.connect(options);
        return c;
    }
}
