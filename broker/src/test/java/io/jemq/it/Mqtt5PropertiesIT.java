package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static io.jemq.testkit.Clients.QUIET;
import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MQTT 5.0 properties: topic aliases both ways, message expiry, receive maximum, maximum packet size, pass-through. */
class Mqtt5PropertiesIT {
    private static final Duration CLOSE = Duration.ofSeconds(2);

    @Test
    void inboundTopicAliasIsResolved() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "alias-in-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("ta/t").qos(MqttQos.AT_LEAST_ONCE).send();
            try (RawClient pub = RawClient.open(b.port())) {
                Packet ack = pub.connect(connect(5, "alias-in"));
                assertThat((Long) Packet.first(ack.connackProperties(), Packets.Props.TOPIC_ALIAS_MAXIMUM))
                        .as("the broker accepts aliases").isPositive();
                Packets.Props alias = new Packets.Props().u16(Packets.Props.TOPIC_ALIAS, 1);
                pub.send(Packets.publish(5, "ta/t", 1, false, false, 1, alias, bytes("with topic")));
                pub.expect(Packets.PUBACK);
                pub.send(Packets.publish(5, "", 1, false, false, 2, alias, bytes("alias only")));
                pub.expect(Packets.PUBACK);
            }
            for (String expected : List.of("with topic", "alias only")) {
                Mqtt5Publish m = next(got);
                assertThat(m.getTopic().toString()).isEqualTo("ta/t");
                assertThat(text(m)).isEqualTo(expected);
            }
            sub.disconnect();
        }
    }

    @Test
    void topicAliasAboveTheMaximumIsRefusedWith0x94() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_topic_alias", "5");
             RawClient pub = RawClient.open(b.port())) {
            Packet ack = pub.connect(connect(5, "alias-high"));
            assertThat(Packet.first(ack.connackProperties(), Packets.Props.TOPIC_ALIAS_MAXIMUM)).isEqualTo(5L);
            pub.send(Packets.publish(5, "ta/t", 1, false, false, 1,
                    new Packets.Props().u16(Packets.Props.TOPIC_ALIAS, 6), bytes("x")));
            Packet last = pub.lastPacketBeforeClose(CLOSE).orElseThrow(() -> new AssertionError("no DISCONNECT"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x94);
        }
    }

    @Test
    void unknownTopicAliasIsAProtocolError() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient pub = RawClient.connected(b.port(), 5, "alias-unknown", true)) {
            pub.send(Packets.publish(5, "", 1, false, false, 1,
                    new Packets.Props().u16(Packets.Props.TOPIC_ALIAS, 3), bytes("x")));
            Packet last = pub.lastPacketBeforeClose(CLOSE).orElseThrow(() -> new AssertionError("no DISCONNECT"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x82);
        }
    }

    @Test
    void outboundTopicAliasesAreUsedUpToTheClientsMaximum() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient sub = RawClient.connected(b.port(), connect(5, "alias-out")
                     .properties(new Packets.Props().u16(Packets.Props.TOPIC_ALIAS_MAXIMUM, 1)))) {
            sub.send(Packets.subscribe(5, 1, "oa/+", 0));
            sub.expect(Packets.SUBACK);
            Mqtt5BlockingClient pub = Clients.v5(b, "alias-out-pub");
            pub.connect();
            for (String t : List.of("oa/one", "oa/one", "oa/two")) {
                pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(t)).send();
            }
            Packet first = sub.expect(Packets.PUBLISH);
            assertThat(first.topic()).isEqualTo("oa/one");
            Object alias = Packet.first(first.publishProperties(), Packets.Props.TOPIC_ALIAS);
            assertThat(alias).as("an alias is set up with the first message").isEqualTo(1L);
            Packet second = sub.expect(Packets.PUBLISH);
            assertThat(second.topic()).as("the alias replaces the topic").isEmpty();
            assertThat(Packet.first(second.publishProperties(), Packets.Props.TOPIC_ALIAS)).isEqualTo(1L);
            assertThat(second.payload()).isEqualTo("oa/one");
            Packet third = sub.expect(Packets.PUBLISH);
            assertThat(third.topic()).as("a new topic beyond the client's maximum is sent in full").isEqualTo("oa/two");
            pub.disconnect();
        }
    }

    @Test
    void outboundAliasesStartOverOnANewConnection() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Packets.Connect persistent = connect(5, "alias-again").clean(false).properties(new Packets.Props()
                    .u32(Packets.Props.SESSION_EXPIRY, 60).u16(Packets.Props.TOPIC_ALIAS_MAXIMUM, 5));
            Mqtt5BlockingClient pub = Clients.v5(b, "alias-again-pub");
            pub.connect();
            try (RawClient sub = RawClient.connected(b.port(), persistent)) {
                sub.send(Packets.subscribe(5, 1, "again/t", 0));
                sub.expect(Packets.SUBACK);
                pub.publishWith().topic("again/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("1")).send();
                assertThat(sub.expect(Packets.PUBLISH).topic()).isEqualTo("again/t");
            }
            try (RawClient sub = RawClient.connected(b.port(), persistent.clean(false))) {
                pub.publishWith().topic("again/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("2")).send();
                Packet p = sub.expect(Packets.PUBLISH);
                assertThat(p.topic()).as("aliases die with the connection: the topic is sent again")
                        .isEqualTo("again/t");
                assertThat(p.payload()).isEqualTo("2");
            }
            pub.disconnect();
        }
    }

    @Test
    void clientWithTopicAliasMaximumReceivesTheRightTopics() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "alias-hive");
            var got = publishes(sub);
            sub.connectWith().restrictions().topicAliasMaximum(2).applyRestrictions().send();
            sub.subscribeWith().topicFilter("ah/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "alias-hive-pub");
            pub.connect();
            List<String> topics = List.of("ah/a", "ah/b", "ah/a", "ah/c", "ah/b", "ah/c", "ah/a");
            for (String t : topics) {
                pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(t)).send();
            }
            for (String t : topics) {
                Mqtt5Publish m = next(got);
                assertThat(m.getTopic().toString()).isEqualTo(t);
                assertThat(text(m)).isEqualTo(t);
            }
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void clientWithoutTopicAliasMaximumGetsNoAliases() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient sub = RawClient.connected(b.port(), 5, "no-alias", true)) {
            sub.send(Packets.subscribe(5, 1, "na/t", 0));
            sub.expect(Packets.SUBACK);
            Mqtt5BlockingClient pub = Clients.v5(b, "no-alias-pub");
            pub.connect();
            for (int i = 0; i < 2; i++) {
                pub.publishWith().topic("na/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
                Packet p = sub.expect(Packets.PUBLISH);
                assertThat(p.topic()).isEqualTo("na/t");
                assertThat(Packet.first(p.publishProperties(), Packets.Props.TOPIC_ALIAS)).isNull();
            }
            pub.disconnect();
        }
    }

    @Test
    void expiredMessagesAreNotDeliveredAndLiveOnesCarryTheRemainingExpiry() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "expiry-sub");
            sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
            sub.subscribeWith().topicFilter("me/t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();

            Mqtt5BlockingClient pub = Clients.v5(b, "expiry-pub");
            pub.connect();
            pub.publishWith().topic("me/t").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(1)
                    .payload(bytes("short")).send();
            pub.publishWith().topic("me/t").qos(MqttQos.AT_LEAST_ONCE).messageExpiryInterval(60)
                    .payload(bytes("long")).send();
            long publishedAt = System.currentTimeMillis();
            // the clock is what is tested here: let the short expiry pass
            await().atMost(Duration.ofSeconds(3)).until(() -> System.currentTimeMillis() - publishedAt > 1_200);

            Mqtt5BlockingClient again = Clients.v5(b, "expiry-sub");
            var got = publishes(again);
            assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent())
                    .isTrue();
            Mqtt5Publish m = next(got);
            assertThat(text(m)).as("the expired message is gone, the live one is first").isEqualTo("long");
            assertThat(m.getMessageExpiryInterval()).isPresent();
            assertThat(m.getMessageExpiryInterval().getAsLong()).as("time spent waiting is taken off")
                    .isBetween(1L, 59L);
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            again.disconnect();
        }
    }

    @Test
    void receiveMaximumLimitsUnacknowledgedDeliveries() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.retry_interval", "60s");
             RawClient sub = RawClient.connected(b.port(), connect(5, "rm1")
                     .properties(new Packets.Props().u16(Packets.Props.RECEIVE_MAXIMUM, 1)))) {
            sub.send(Packets.subscribe(5, 1, "rm/t", 1));
            sub.expect(Packets.SUBACK);
            Mqtt5BlockingClient pub = Clients.v5(b, "rm-pub");
            pub.connect();
            for (int i = 0; i < 3; i++) {
                pub.publishWith().topic("rm/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }
            for (int i = 0; i < 3; i++) {
                Packet p = sub.expect(Packets.PUBLISH);
                assertThat(p.payload()).isEqualTo("m" + i);
                assertThat(sub.poll(QUIET)).as("one in flight at a time").isEmpty();
                sub.send(Packets.ack(Packets.PUBACK, p.publishId()));
            }
            pub.disconnect();
        }
    }

    @Test
    void messagesLargerThanTheClientsMaximumPacketSizeAreNotSent() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "mps");
            var got = publishes(sub);
            sub.connectWith().restrictions().maximumPacketSize(100).applyRestrictions().send();
            sub.subscribeWith().topicFilter("mps/t").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "mps-pub");
            pub.connect();
            pub.publishWith().topic("mps/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("x".repeat(500))).send();
            pub.publishWith().topic("mps/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("small")).send();
            assertThat(text(next(got))).isEqualTo("small");
            assertThat(quiet(got)).isEmpty();
            assertThat(sub.getState().isConnected()).as("the client was not disconnected").isTrue();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void applicationPropertiesAreForwarded() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient sub = Clients.v5(b, "props-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("props/t").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient pub = Clients.v5(b, "props-pub");
            pub.connect();
            pub.publishWith().topic("props/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("{}"))
                    .userProperties().add("k", "v1").add("k", "v2").add("other", "x").applyUserProperties()
                    .responseTopic("props/reply")
                    .correlationData(bytes("corr-42"))
                    .contentType("application/json")
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8)
                    .send();
            Mqtt5Publish m = next(got);
            assertThat(m.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                    .containsExactly("k=v1", "k=v2", "other=x");
            assertThat(m.getResponseTopic()).map(Object::toString).hasValue("props/reply");
            assertThat(m.getCorrelationData()).map(Mqtt5PropertiesIT::string).hasValue("corr-42");
            assertThat(m.getContentType()).map(Object::toString).hasValue("application/json");
            assertThat(m.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UTF_8);
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void publishWithoutSubscribersIsAcknowledgedWithNoMatchingSubscribers() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient pub = RawClient.connected(b.port(), 5, "nobody-listens", true)) {
            pub.send(Packets.publish(5, "nobody/t", 1, 1, "hello?"));
            Packet ack = pub.expect(Packets.PUBACK);
            assertThat(ack.packetId()).isEqualTo(1);
            assertThat(ack.ackReason()).isEqualTo(0x10);
        }
    }

    @Test
    void refusedConnectCarriesAReasonString() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_clientid_len", "4")) {
            try (RawClient c = RawClient.open(b.port())) {
                Packet ack = c.connect(connect(5, "too-long"));
                assertThat(ack.connackCode()).isEqualTo(0x85);
                assertThat((String) Packet.first(ack.connackProperties(), Packets.Props.REASON_STRING))
                        .isNotBlank();
            }
        }
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.allow_anonymous", "false");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(connect(5, "anon"));
            assertThat(ack.connackCode()).isEqualTo(0x87);
            assertThat((String) Packet.first(ack.connackProperties(), Packets.Props.REASON_STRING)).isNotBlank();
        }
    }

    private static String string(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return new String(out);
    }
}
