package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.sys.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.text;
import static io.jemq.it.ConnectIT.hex;
import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed and oversized input on raw sockets: each closes only the offending connection, is counted, and a client
 * connected before keeps being served.
 */
class MalformedPacketIT {
    private static final Duration CLOSE = Duration.ofSeconds(2);
    /** No CONNECT first: the bytes are the first thing on the socket. */
    private static final int NOT_CONNECTED = 0;

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("garbage instead of CONNECT (packet type 0)", NOT_CONNECTED, hex("00 01 02 03 04 05")),
                Arguments.of("remaining length with five continuation bytes", 4, hex("30 ff ff ff ff 7f")),
                Arguments.of("CONNECT with the reserved connect flag set", NOT_CONNECTED,
                        connect(4, "reserved-flag").extraFlags(0x01).bytes()),
                Arguments.of("CONNECT with reserved fixed-header flags", NOT_CONNECTED,
                        withFirstByte(connect(4, "reserved-header").bytes(), 0x11)),
                Arguments.of("PUBLISH with QoS 3", 4, withFirstByte(Packets.publish(4, "a/b", 1, 1, "x"), 0x36)),
                Arguments.of("PUBLISH to a topic with +", 4, Packets.publish(4, "a/+", 0, 0, "x")),
                Arguments.of("PUBLISH to a topic with #", 4, Packets.publish(4, "a/#", 0, 0, "x")),
                Arguments.of("PUBLISH to a topic with U+0000", 4, Packets.publish(4, "a/\u0000", 0, 0, "x")),
                Arguments.of("QoS 1 PUBLISH with packet id 0", 4, Packets.publish(4, "a/b", 1, 0, "x")),
                Arguments.of("SUBSCRIBE without filters", 4, hex("82 02 00 01")),
                Arguments.of("SUBSCRIBE with wrong fixed-header flags", 4,
                        withFirstByte(Packets.subscribe(4, 1, "a/b", 0), 0x80)),
                Arguments.of("UNSUBSCRIBE without filters", 4, hex("a2 02 00 01")),
                Arguments.of("SUBSCRIBE with requested QoS 3", 4, Packets.subscribe(4, 1, "a/b", 3)),
                Arguments.of("oversized PUBLISH, fixed header only (10 MB announced)", 4, hex("30 80 80 80 05")),
                Arguments.of("MQTT 5.0 PUBLISH to a topic with +", 5, Packets.publish(5, "a/+", 0, 0, "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputClosesOnlyThatConnection(String what, int connectFirst, byte[] bytes) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_packet_size", "1KB")) {
            Mqtt3BlockingClient bystander = Clients.v3(b, "bystander");
            bystander.connect();
            var got = publishes(bystander);
            bystander.subscribeWith().topicFilter("by/t").qos(MqttQos.AT_LEAST_ONCE).send();
            long malformedBefore = b.broker().counters().get(Counter.PACKETS_MALFORMED);

            try (RawClient bad = connectFirst == NOT_CONNECTED ? RawClient.open(b.port())
                    : RawClient.connected(b.port(), connectFirst, "offender", true)) {
                bad.sendQuietly(bytes);
                assertThat(bad.closedWithin(CLOSE)).as(what + ": connection closed").isTrue();
            }
            await().atMost(CLOSE).untilAsserted(() -> assertThat(b.broker().counters().get(Counter.PACKETS_MALFORMED))
                    .as(what + ": counted as malformed").isGreaterThan(malformedBefore));

            Mqtt3BlockingClient pub = Clients.v3(b, "after");
            pub.connect();
            pub.publishWith().topic("by/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("still served")).send();
            assertThat(text(next(got))).isEqualTo("still served");
            pub.disconnect();
            bystander.disconnect();
        }
    }

    @Test
    void oversizedPacketIsRefusedFromItsHeaderWithoutWaitingForTheBody() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_packet_size", "1KB");
             RawClient c = RawClient.connected(b.port(), 4, "big-header", true)) {
            c.send(hex("30 80 80 80 05"));                 // PUBLISH announcing 10 MB, and nothing else
            assertThat(c.closedWithin(Duration.ofSeconds(1))).isTrue();
        }
    }

    @Test
    void mqtt5OversizedPacketGetsDisconnect0x95() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_packet_size", "1KB");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(connect(5, "big5"));
            assertThat(Packet.first(ack.connackProperties(), Packets.Props.MAXIMUM_PACKET_SIZE)).isEqualTo(1024L);
            c.send(Packets.publish(5, "big/t", 0, false, false, 0, null, new byte[2048]));
            Packet last = c.lastPacketBeforeClose(CLOSE).orElseThrow(() -> new AssertionError("no DISCONNECT"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x95);
        }
    }

    @Test
    void packetJustUnderTheLimitIsAccepted() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_packet_size", "1KB");
             RawClient c = RawClient.connected(b.port(), 4, "fits", true)) {
            c.send(Packets.subscribe(4, 1, "fits/t", 1));
            c.expect(Packets.SUBACK);
            String payload = "x".repeat(1000);
            c.send(Packets.publish(4, "fits/t", 1, 2, payload));
            c.expect(Packets.PUBACK);
            assertThat(c.expect(Packets.PUBLISH).payload()).isEqualTo(payload);
        }
    }

    private static byte[] withFirstByte(byte[] packet, int first) {
        byte[] copy = packet.clone();
        copy[0] = (byte) first;
        return copy;
    }
}
