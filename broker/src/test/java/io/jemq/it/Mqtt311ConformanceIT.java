package io.jemq.it;

import io.jemq.it.Conformance.Bystander;
import io.jemq.it.Conformance.Field;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient.Seen;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.jemq.it.Conformance.RawConnect;
import static io.jemq.it.Conformance.aloneAndWithPingBehind;
import static io.jemq.it.Conformance.assertConnectRefused;
import static io.jemq.it.Conformance.cases;
import static io.jemq.it.Conformance.hex;
import static io.jemq.it.Conformance.hexOf;
import static io.jemq.it.Conformance.publish;
import static io.jemq.it.Conformance.subscribe;
import static io.jemq.it.Conformance.unique;
import static io.jemq.it.Conformance.unsubscribe;
import static io.jemq.it.Conformance.utf8;
import static io.jemq.testkit.Packets.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 3.1.1 (OASIS Standard, 29 October 2014): the normative statements the broker must honour for what clients send
 * it, each test named by the statement's id. Raw bytes throughout, since no client library sends these packets. One
 * broker for the class (every test has its own client ids and topics), and a bystander connected before the first
 * test that must keep being served after every offence.
 */
@DisplayName("MQTT 3.1.1 conformance")
class Mqtt311ConformanceIT {
    private static final int V = 4;

    private static EmbeddedBroker broker;
    private static Bystander bystander;

    @BeforeAll
    static void startBroker() throws IOException {
        broker = EmbeddedBroker.start();
        bystander = new Bystander(broker, V);
    }

    @AfterAll
    static void stopBroker() throws IOException {
        bystander.close();
        broker.close();
    }

    // ---------------------------------------------------------------- 1.5.3 UTF-8 encoded strings

    /**
     * "[MQTT-1.5.3-1] The character data in a UTF-8 encoded string MUST be well-formed UTF-8 ... If a Server or Client
     * receives a Control Packet containing ill-formed UTF-8 it MUST close the Network Connection." and "[MQTT-1.5.3-2]
     * A UTF-8 encoded string MUST NOT include an encoding of the null character U+0000. If a receiver (Server or
     * Client) receives a Control Packet containing U+0000 it MUST close the Network Connection." The string fields a
     * connected client sends: the Topic Name ("[MQTT-3.3.2-1] The Topic Name MUST be present as the first field in the
     * PUBLISH Packet Variable header. It MUST be a UTF-8 encoded string"), and the Topic Filters of SUBSCRIBE
     * ([MQTT-3.8.3-1]) and UNSUBSCRIBE ([MQTT-3.10.3-1]), which "MUST be UTF-8 encoded strings".
     */
    static Stream<Arguments> illFormedStringAfterConnect() {
        List<Field> fields = List.of(
                new Field("PUBLISH Topic Name (MQTT-3.3.2-1)", s -> publish(V, s, 0, 0, null, utf8("x"))),
                new Field("SUBSCRIBE Topic Filter (MQTT-3.8.3-1)", s -> subscribe(V, 1, null, s, 0)),
                new Field("UNSUBSCRIBE Topic Filter (MQTT-3.10.3-1)", s -> unsubscribe(V, 1, null, s)));
        return cases(V, fields, "closes the connection");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedStringAfterConnect(String what, byte[] packet) throws IOException {
        // the PINGREQ behind it: a PINGRESP would show the broker took the packet as well-formed
        bystander.assertClosedAsMalformedAfterConnect(what, "utf8", concat(packet, Packets.pingreq()));
    }

    @Test
    @DisplayName("MQTT-1.5.3-1 ill-formed UTF-8 in a topic name closes the connection (30 07 00 04 ff fe c3 28 78)")
    void illFormedTopicNameAsAPeerSentIt() throws IOException {
        bystander.assertClosedAsMalformedAfterConnect("ff fe c3 28 in a topic", "utf8-peer",
                concat(hex("30 07 00 04 ff fe c3 28 78"), Packets.pingreq()));
    }

    /**
     * The CONNECT's strings: "[MQTT-3.1.3-4] The ClientId MUST be a UTF-8 encoded string as defined in Section 1.5.3",
     * "[MQTT-3.1.3-10] The Will Topic MUST be a UTF-8 encoded string", "[MQTT-3.1.3-11] The User Name MUST be a UTF-8
     * encoded string". And "[MQTT-3.1.4-1] The Server MUST validate that the CONNECT Packet conforms to section 3.1
     * and close the Network Connection without sending a CONNACK if it does not conform."
     */
    static Stream<Arguments> illFormedStringInConnect() {
        List<Field> fields = List.of(
                new Field("CONNECT Client Identifier (MQTT-3.1.3-4)", s -> new RawConnect(V, s).bytes()),
                new Field("CONNECT Will Topic (MQTT-3.1.3-10)",
                        s -> new RawConnect(V, unique("will")).will(s, null).bytes()),
                new Field("CONNECT User Name (MQTT-3.1.3-11)",
                        s -> new RawConnect(V, unique("user")).username(s).bytes()));
        return cases(V, fields, "is refused and the connection closed (MQTT-3.1.4-1)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedStringInConnect(String what, byte[] connect) throws IOException {
        bystander.assertSurvives(what, () -> {
            try (RawClient c = RawClient.open(broker.port())) {
                c.sendQuietly(concat(connect, Packets.pingreq()));
                // 3.1.1 says "without sending a CONNACK"; a refusing CONNACK is tolerated here (MQTT-3.1.3-9 has one
                // for a rejected Client Identifier), a CONNACK accepting the connection is not
                assertConnectRefused(c, what);
            }
        });
    }

    /** "[MQTT-1.5.3-3] A UTF-8 encoded sequence 0xEF 0xBB 0xBF is always to be interpreted to mean U+FEFF ("ZERO
     *  WIDTH NO-BREAK SPACE") wherever it appears in a string and MUST NOT be skipped over or stripped off by a packet
     *  receiver." Also the control for the cases above: well-formed UTF-8 is not refused. */
    @Test
    @DisplayName("MQTT-1.5.3-3 ef bb bf (U+FEFF) in a topic is kept, neither skipped nor stripped")
    void byteOrderMarkIsKept() throws IOException {
        byte[] topic = concat(utf8(unique("bom")), hex("2f ef bb bf 61"));
        try (RawClient sub = RawClient.connected(broker.port(), V, unique("bom-sub"), true);
             RawClient pub = RawClient.connected(broker.port(), V, unique("bom-pub"), true)) {
            sub.send(subscribe(V, 1, null, topic, 1));
            assertThat(sub.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
            pub.send(publish(V, topic, 1, 1, null, utf8("bom")));
            pub.expect(Packets.PUBACK);
            Packet got = sub.expect(Packets.PUBLISH);
            assertThat(hexOf(topicBytes(got))).isEqualTo(hexOf(topic));
        }
    }

    @Test
    @DisplayName("MQTT-1.5.3-1 well-formed 2-, 3- and 4-byte UTF-8 in topic names and filters is accepted unchanged")
    void wellFormedMultiByteUtf8IsAccepted() throws IOException {
        byte[] topic = utf8(unique("utf8") + "/é/€/\uD83D\uDE00");     // c3 a9, e2 82 ac, f0 9f 98 80
        try (RawClient sub = RawClient.connected(broker.port(), V, unique("mb-sub"), true);
             RawClient pub = RawClient.connected(broker.port(), V, unique("mb-pub"), true)) {
            sub.send(subscribe(V, 1, null, topic, 1));
            assertThat(sub.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
            pub.send(publish(V, topic, 1, 1, null, utf8("multi-byte")));
            pub.expect(Packets.PUBACK);
            assertThat(hexOf(topicBytes(sub.expect(Packets.PUBLISH)))).isEqualTo(hexOf(topic));
        }
    }

    // ---------------------------------------------------------------- lengths longer than their packet

    /**
     * 2.2.3: "The Remaining Length is the number of bytes remaining within the current packet, including data in the
     * variable header and the payload." A length inside the packet that reaches past its end makes it malformed, and
     * "[MQTT-4.8.0-1] Unless stated otherwise, if either the Server or Client encounters a protocol violation, it MUST
     * close the Network Connection on which it received that Control Packet which caused the protocol violation." A
     * decoder that reads the field past the Remaining Length instead waits for bytes that never come, or takes the next
     * packet's bytes as the rest of this one. Each case alone, and with a PINGREQ behind it in the same write, which
     * must not be answered.
     */
    static Stream<Arguments> lengthPastTheEndOfThePacket() {
        return aloneAndWithPingBehind("MQTT-4.8.0-1", new Object[][]{
            {"PUBLISH whose Topic Name length (0x7fff) runs past its Remaining Length (10)",
                hex("30 0a 7f ff 61 62 63 64 65 66 67 68")},
            {"PUBLISH with Remaining Length 1: half a Topic Name length", hex("30 01 00")},
            {"PUBLISH whose Topic Name length (16) runs past its Remaining Length (5)", hex("30 05 00 10 61 62 63")},
            {"SUBSCRIBE whose Topic Filter length is cut off by its Remaining Length", hex("82 03 00 01 00")},
            {"UNSUBSCRIBE whose Topic Filter (9 bytes) lies past its Remaining Length", hex("a2 04 00 01 00 09")},
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lengthPastTheEndOfThePacket(String what, byte[] bytes) throws IOException {
        bystander.assertClosedAsMalformedAfterConnect(what, "length", bytes);
    }

    // ---------------------------------------------------------------- 3.10 UNSUBSCRIBE

    /**
     * "[MQTT-3.10.4-2] If a Server deletes a Subscription: It MUST stop adding any new messages for delivery to the
     * Client." Once the UNSUBACK has arrived the deletion has happened, so a message published after it (QoS 0 and 1)
     * must not arrive. The no-wait variant, UNSUBSCRIBE then publish without waiting for UNSUBACK, is
     * UnsubscribeOrderingIT.
     */
    @Test
    @DisplayName("MQTT-3.10.4-2 after UNSUBACK no new message is delivered for the deleted subscription")
    void noDeliveryAfterUnsuback() throws IOException {
        String topic = unique("unsub") + "/t";
        try (RawClient a = RawClient.connected(broker.port(), V, unique("unsub-a"), true);
             RawClient b = RawClient.connected(broker.port(), V, unique("unsub-b"), true)) {
            a.send(subscribe(V, 1, topic, 1));
            a.expect(Packets.SUBACK);
            a.send(unsubscribe(V, 2, topic));
            assertThat(a.expect(Packets.UNSUBACK).packetId()).isEqualTo(2);
            b.send(concat(publish(V, topic, 0, 0, null, "qos 0 after UNSUBACK"),
                    publish(V, topic, 1, 1, null, "qos 1")));
            b.expect(Packets.PUBACK);
            assertNothingDelivered(a);
        }
    }

    /** "[MQTT-3.10.4-4] The Server MUST respond to an UNSUBSUBCRIBE request by sending an UNSUBACK packet. The
     *  UNSUBACK Packet MUST have the same Packet Identifier as the UNSUBSCRIBE Packet." and "[MQTT-3.10.4-5] Even
     *  where no Topic Subscriptions are deleted, the Server MUST respond with an UNSUBACK." */
    @Test
    @DisplayName("MQTT-3.10.4-4 MQTT-3.10.4-5 UNSUBACK with the same packet id, also when nothing was subscribed")
    void unsubackEvenWithoutASubscription() throws IOException {
        try (RawClient a = RawClient.connected(broker.port(), V, unique("unsuback"), true)) {
            a.send(unsubscribe(V, 0x1234, unique("never") + "/subscribed"));
            Packet ack = a.expect(Packets.UNSUBACK);
            assertThat(ack.packetId()).isEqualTo(0x1234);
            assertThat(ack.body()).as("3.1.1 UNSUBACK: the packet id and nothing else").hasSize(2);
        }
    }

    /**
     * Nothing reached {@code a}: a PINGREQ round trip first (the broker writes to a connection in order, and every
     * delivery was routed before the publisher's PUBACK), then a short quiet wait for anything queued elsewhere.
     */
    static void assertNothingDelivered(RawClient a) throws IOException {
        a.send(Packets.pingreq());
        Seen seen = a.untilClosed(Clients.WAIT, p -> p.type() == Packets.PINGRESP);
        assertThat(seen.any(Packets.PINGRESP)).as("PINGRESP: " + seen).isTrue();
        assertThat(seen.any(Packets.PUBLISH)).as("a PUBLISH after the subscription was deleted: " + seen).isFalse();
        assertThat(a.poll(Clients.QUIET)).as("a PUBLISH after the subscription was deleted").isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    static byte[] topicBytes(Packet publish) {
        byte[] body = publish.body();
        int n = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        return Arrays.copyOfRange(body, 2, 2 + n);
    }
}
