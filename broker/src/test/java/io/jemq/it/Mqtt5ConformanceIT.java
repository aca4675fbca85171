package io.jemq.it;

import io.jemq.it.Conformance.Bystander;
import io.jemq.it.Conformance.Field;
import io.jemq.it.Conformance.RawConnect;
import io.jemq.it.Conformance.WireProp;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets.Props;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.jemq.it.Conformance.ack5;
import static io.jemq.it.Conformance.aloneAndWithPingBehind;
import static io.jemq.it.Conformance.assertClosedAsMalformed;
import static io.jemq.it.Conformance.assertConnectRefused;
import static io.jemq.it.Conformance.assertDisconnectedWith;
import static io.jemq.it.Conformance.cases;
import static io.jemq.it.Conformance.hex;
import static io.jemq.it.Conformance.hexOf;
import static io.jemq.it.Conformance.propertyBytes;
import static io.jemq.it.Conformance.publish;
import static io.jemq.it.Conformance.retainedPublish;
import static io.jemq.it.Conformance.split;
import static io.jemq.it.Conformance.subscribe;
import static io.jemq.it.Conformance.unique;
import static io.jemq.it.Conformance.unsubscribe;
import static io.jemq.it.Conformance.utf8;
import static io.jemq.testkit.Packets.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5.0 (OASIS Standard, 7 March 2019): the normative statements the broker must honour for what clients send it,
 * each test named by the statement's id. Raw bytes throughout, so that what is sent and what is forwarded can be
 * checked byte for byte. One broker with the default configuration for the class (every test has its own client ids
 * and topics) with a bystander that must keep being served after every offence; the topic alias tests that need
 * another Topic Alias Maximum start their own.
 *
 * <p>On a malformed packet after CONNECT the broker "MUST close the Network Connection [MQTT-4.13.1-1]" and "SHOULD
 * send a DISCONNECT packet containing the reason code before closing": a plain close passes, and so does a DISCONNECT
 * with 0x81 (Malformed Packet) before it; any other reason does not.
 */
@DisplayName("MQTT 5.0 conformance")
class Mqtt5ConformanceIT {
    private static final int V = 5;

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

    // ---------------------------------------------------------------- 1.5.4 UTF-8 Encoded Strings, after CONNECT

    /**
     * "The character data in a UTF-8 Encoded String MUST be well-formed UTF-8 as defined by the Unicode specification
     * and restated in RFC 3629. In particular, the character data MUST NOT include encodings of code points between
     * U+D800 and U+DFFF [MQTT-1.5.4-1]. If the Client or Server receives an MQTT Control Packet containing ill-formed
     * UTF-8 it is a Malformed Packet." "A UTF-8 Encoded String MUST NOT include an encoding of the null character
     * U+0000 [MQTT-1.5.4-2]. If a receiver (Server or Client) receives an MQTT Control Packet containing U+0000 it is a
     * Malformed Packet." Every UTF-8 string field of the packets a connected client sends: Topic Name and Filters,
     * and the string properties (a User Property is a UTF-8 String Pair: "Both strings MUST comply with the
     * requirements for UTF-8 Encoded Strings [MQTT-1.5.7-1]").
     */
    static Stream<Arguments> illFormedStringAfterConnect() {
        byte[] topic = utf8("conf5/props");
        byte[] filter = utf8("conf5/filter");
        byte[] x = utf8("x");
        List<Field> fields = List.of(
                new Field("PUBLISH Topic Name (MQTT-3.3.2-1)", s -> publish(V, s, 0, 0, null, x)),
                new Field("PUBLISH Content Type (MQTT-3.3.2-19)",
                        s -> publish(V, topic, 0, 0, new Props().str(Props.CONTENT_TYPE, s), x)),
                new Field("PUBLISH Response Topic (MQTT-3.3.2-13)",
                        s -> publish(V, topic, 0, 0, new Props().str(Props.RESPONSE_TOPIC, s), x)),
                new Field("PUBLISH User Property name (MQTT-1.5.7-1)",
                        s -> publish(V, topic, 0, 0, new Props().user(s, utf8("v")), x)),
                new Field("PUBLISH User Property value (MQTT-1.5.7-1)",
                        s -> publish(V, topic, 0, 0, new Props().user(utf8("k"), s), x)),
                new Field("SUBSCRIBE Topic Filter (MQTT-3.8.3-1)", s -> subscribe(V, 1, null, s, 0)),
                new Field("SUBSCRIBE User Property name (MQTT-1.5.7-1)",
                        s -> subscribe(V, 1, new Props().user(s, utf8("v")), filter, 0)),
                new Field("UNSUBSCRIBE Topic Filter (MQTT-3.10.3-1)", s -> unsubscribe(V, 1, null, s)),
                new Field("UNSUBSCRIBE User Property value (MQTT-1.5.7-1)",
                        s -> unsubscribe(V, 1, new Props().user(utf8("k"), s), filter)));
        return cases(V, fields, "closes the connection");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedStringAfterConnect(String what, byte[] packet) throws IOException {
        // the PINGREQ behind it: a PINGRESP would show the broker took the packet as well-formed
        bystander.assertClosedAsMalformedAfterConnect(what, "utf8", concat(packet, Packets.pingreq()));
    }

    static Stream<Arguments> illFormedReasonStringInPuback() {
        return cases(V, "PUBACK Reason String (3.4.2.2.2)", "closes the connection");
    }

    /** A subscriber's PUBACK for a QoS 1 delivery, its Reason String ill-formed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedReasonStringInPuback(String what, byte[] bad) throws IOException {
        bystander.assertSurvives(what, () -> {
            String topic = unique("puback") + "/t";
            try (RawClient c = RawClient.connected(broker.port(), V, unique("puback"), true)) {
                c.send(subscribe(V, 1, topic, 1));
                c.expect(Packets.SUBACK);
                c.send(publish(V, topic, 1, 1, null, "to myself"));
                int delivered = -1;
                for (int i = 0; i < 2; i++) {                   // our PUBACK and the delivery, in either order
                    Packet p = c.poll(Clients.WAIT).orElseThrow(() -> new AssertionError("PUBACK and PUBLISH"));
                    if (p.type() == Packets.PUBLISH) {
                        delivered = p.publishId();
                    }
                }
                assertThat(delivered).as("the QoS 1 delivery").isPositive();
                c.sendQuietly(concat(
                        ack5(Packets.PUBACK, delivered, 0x00, new Props().str(Props.REASON_STRING, bad)),
                        Packets.pingreq()));
                assertClosedAsMalformed(c, V, what);
            }
        });
    }

    static Stream<Arguments> illFormedReasonStringInPubrel() {
        return cases(V, "PUBREL Reason String (3.6.2.2.2)", "closes the connection");
    }

    /** A publisher's PUBREL for its QoS 2 message, its Reason String ill-formed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedReasonStringInPubrel(String what, byte[] bad) throws IOException {
        bystander.assertSurvives(what, () -> {
            try (RawClient c = RawClient.connected(broker.port(), V, unique("pubrel"), true)) {
                c.send(publish(V, unique("pubrel") + "/t", 2, 7, null, "exactly once"));
                assertThat(c.expect(Packets.PUBREC).packetId()).isEqualTo(7);
                c.sendQuietly(concat(ack5(Packets.PUBREL, 7, 0x00, new Props().str(Props.REASON_STRING, bad)),
                        Packets.pingreq()));
                assertClosedAsMalformed(c, V, what);
            }
        });
    }

    static Stream<Arguments> illFormedReasonStringInDisconnect() {
        return cases(V, "DISCONNECT Reason String (3.14.2.2.3)", "is counted as a Malformed Packet");
    }

    /**
     * A DISCONNECT closes the connection anyway, so what tells a broker that checks the Reason String from one that
     * does not is that it counts the packet as malformed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedReasonStringInDisconnect(String what, byte[] bad) throws IOException {
        bystander.assertClosedAsMalformedAfterConnect(what, "disconnect",
                Packets.disconnect5(0x00, new Props().str(Props.REASON_STRING, bad)));
    }

    // ---------------------------------------------------------------- 1.5.4 UTF-8 Encoded Strings, in CONNECT

    /**
     * "The ClientID MUST be a UTF-8 Encoded String [MQTT-3.1.3-4]", "The Will Topic MUST be a UTF-8 Encoded String
     * [MQTT-3.1.3-11]", "The User Name MUST be a UTF-8 Encoded String [MQTT-3.1.3-12]", and the string properties of
     * CONNECT and of its Will. "The Server MUST validate that the CONNECT packet matches the format described in
     * section 3.1 and close the Network Connection if it does not match [MQTT-3.1.4-1]. The Server MAY send a CONNACK
     * with a Reason Code of 0x80 or greater as described in section 4.13 before closing the Network Connection."
     */
    static Stream<Arguments> illFormedStringInConnect() {
        byte[] willTopic = utf8("conf5/will");
        List<Field> fields = List.of(
                new Field("CONNECT Client Identifier (MQTT-3.1.3-4)", s -> new RawConnect(V, s).bytes()),
                new Field("CONNECT User Name (MQTT-3.1.3-12)",
                        s -> new RawConnect(V, unique("user")).username(s).bytes()),
                new Field("CONNECT Will Topic (MQTT-3.1.3-11)",
                        s -> new RawConnect(V, unique("will")).will(s, null).bytes()),
                new Field("CONNECT Will Content Type (3.1.3.2.5)", s -> new RawConnect(V, unique("will"))
                        .will(willTopic, new Props().str(Props.CONTENT_TYPE, s)).bytes()),
                new Field("CONNECT Will Response Topic (3.1.3.2.6)", s -> new RawConnect(V, unique("will"))
                        .will(willTopic, new Props().str(Props.RESPONSE_TOPIC, s)).bytes()),
                new Field("CONNECT Will User Property (MQTT-1.5.7-1)", s -> new RawConnect(V, unique("will"))
                        .will(willTopic, new Props().user(s, utf8("v"))).bytes()),
                new Field("CONNECT User Property (MQTT-1.5.7-1)", s -> new RawConnect(V, unique("props"))
                        .properties(new Props().user(utf8("k"), s)).bytes()),
                new Field("CONNECT Authentication Method (3.1.2.11.9)", s -> new RawConnect(V, unique("auth"))
                        .properties(new Props().str(Props.AUTHENTICATION_METHOD, s)).bytes()));
        return cases(V, fields, "is refused and the connection closed (MQTT-3.1.4-1)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void illFormedStringInConnect(String what, byte[] connect) throws IOException {
        bystander.assertSurvives(what, () -> {
            try (RawClient c = RawClient.open(broker.port()).version(V)) {
                // "If the Server rejects the CONNECT, it MUST NOT process any data sent by the Client after the
                // CONNECT packet except AUTH packets [MQTT-3.1.4-6]": the PINGREQ behind it must go unanswered
                c.sendQuietly(concat(connect, Packets.pingreq()));
                assertConnectRefused(c, what);
            }
        });
    }

    // ---------------------------------------------------------------- lengths longer than their packet

    /**
     * "The Remaining Length is a Variable Byte Integer that represents the number of bytes remaining within the current
     * Control Packet, including data in the Variable Header and the Payload" (2.1.4), and "The Property Length does not
     * include the bytes used to encode itself, but includes the length of the Properties" (2.2.2.1). A length inside
     * the packet that reaches past its end makes it a Malformed Packet (MQTT-4.13.1-1). Each case alone, and with a
     * PINGREQ behind it in the same write, which a decoder reading past the Remaining Length would swallow.
     */
    static Stream<Arguments> lengthPastTheEndOfThePacket() {
        return aloneAndWithPingBehind("MQTT-4.13.1-1", new Object[][]{
            {"PUBLISH whose Topic Name length (0x7fff) runs past its Remaining Length (10)",
                hex("30 0a 7f ff 61 62 63 64 65 66 67 68")},
            {"PUBLISH with Remaining Length 1: half a Topic Name length", hex("30 01 00")},
            {"PUBLISH whose Topic Name length (16) runs past its Remaining Length (5)", hex("30 05 00 10 61 62 63")},
            {"PUBLISH whose Property Length (5) runs past its Remaining Length", hex("30 06 00 01 61 05 01 01")},
            {"PUBLISH whose User Property name length (9) runs past its Property Length",
                hex("30 0b 00 01 61 06 26 00 09 61 00 01 62")},
            {"SUBSCRIBE whose Topic Filter length is cut off by its Remaining Length", hex("82 04 00 01 00 00")},
            {"UNSUBSCRIBE whose Topic Filter (9 bytes) lies past its Remaining Length", hex("a2 05 00 01 00 00 09")},
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void lengthPastTheEndOfThePacket(String what, byte[] bytes) throws IOException {
        bystander.assertClosedAsMalformedAfterConnect(what, "length", bytes);
    }

    // ---------------------------------------------------------------- 3.3.2.3.4 Topic Alias

    /*
     * 3.3.4 PUBLISH Actions: "If the PUBLISH packet contains a Topic Alias, the receiver processes it as follows:
     * 1) A Topic Alias value of 0 or greater than the Maximum Topic Alias is a Protocol Error, the receiver uses
     * DISCONNECT with Reason Code of 0x94 (Topic Alias invalid) as described in section 4.13. 2) If the receiver has
     * already established a mapping for the Topic Alias, then a) If the packet has a zero length Topic Name, the
     * receiver processes it using the Topic Name that corresponds to the Topic Alias b) If the packet contains a
     * non-zero length Topic Name, the receiver processes the packet using that Topic Name and updates its mapping for
     * the Topic Alias to the Topic Name from the incoming packet 3) If the receiver does not already have a mapping for
     * this Topic Alias a) If the packet has a zero length Topic Name field it is a Protocol Error and the receiver uses
     * DISCONNECT with Reason Code of 0x82 (Protocol Error) as described in section 4.13."
     */

    /** "A Topic Alias of 0 is not permitted. A sender MUST NOT send a PUBLISH packet containing a Topic Alias which
     *  has the value 0 [MQTT-3.3.2-8]." */
    @Test
    @DisplayName("MQTT-3.3.2-8 a PUBLISH with Topic Alias 0 gets DISCONNECT 0x94 (Topic Alias invalid), then close")
    void topicAliasZero() throws IOException {
        try (RawClient c = RawClient.connected(broker.port(), V, unique("alias0"), true)) {
            c.sendQuietly(concat(
                    publish(V, unique("alias0") + "/t", 0, 0, new Props().u16(Props.TOPIC_ALIAS, 0), "x"),
                    Packets.pingreq()));
            assertDisconnectedWith(c, 0x94, "Topic Alias 0");
        }
        bystander.assertStillServed();
    }

    /** "A Client MUST NOT send a PUBLISH packet with a Topic Alias greater than the Topic Alias Maximum value
     *  returned by the Server in the CONNACK packet [MQTT-3.3.2-9]." */
    @Test
    @DisplayName("MQTT-3.3.2-9 a Topic Alias above the CONNACK's Topic Alias Maximum gets DISCONNECT 0x94, then close")
    void topicAliasAboveTheMaximum() throws IOException {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_topic_alias", "4");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(Packets.connect(V, unique("alias-high")));
            assertThat(ack.connackCode()).isZero();
            Object max = Packet.first(ack.connackProperties(), Props.TOPIC_ALIAS_MAXIMUM);
            assertThat(max).as("Topic Alias Maximum in CONNACK, as configured").isEqualTo(4L);
            int alias = (int) (long) (Long) max + 1;
            c.sendQuietly(concat(
                    publish(V, "alias/high", 0, 0, new Props().u16(Props.TOPIC_ALIAS, alias), "x"),
                    Packets.pingreq()));
            assertDisconnectedWith(c, 0x94, "Topic Alias " + alias + " above the maximum " + max);
        }
    }

    /** "If Topic Alias Maximum is absent or 0, the Client MUST NOT send any Topic Aliases on to the Server
     *  [MQTT-3.2.2-18]": any alias is then above the maximum. */
    @Test
    @DisplayName("MQTT-3.2.2-18 with Topic Alias Maximum 0 (or absent) any Topic Alias gets DISCONNECT 0x94")
    void topicAliasWhenTheMaximumIsZero() throws IOException {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_topic_alias", "0");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(Packets.connect(V, unique("alias-none")));
            assertThat(ack.connackCode()).isZero();
            assertThat(Optional.ofNullable(Packet.first(ack.connackProperties(), Props.TOPIC_ALIAS_MAXIMUM)))
                    .as("Topic Alias Maximum absent or 0").satisfiesAnyOf(
                            m -> assertThat(m).isEmpty(), m -> assertThat(m).contains(0L));
            c.sendQuietly(concat(publish(V, "alias/none", 0, 0, new Props().u16(Props.TOPIC_ALIAS, 1), "x"),
                    Packets.pingreq()));
            assertDisconnectedWith(c, 0x94, "Topic Alias 1 with a maximum of 0");
        }
    }

    @Test
    @DisplayName("3.3.4 an empty Topic Name with a Topic Alias not yet mapped gets DISCONNECT 0x82 (Protocol Error)")
    void unknownTopicAlias() throws IOException {
        try (RawClient c = RawClient.connected(broker.port(), V, unique("alias-unknown"), true)) {
            c.sendQuietly(concat(publish(V, "", 0, 0, new Props().u16(Props.TOPIC_ALIAS, 3), "x"),
                    Packets.pingreq()));
            assertDisconnectedWith(c, 0x82, "empty topic with an unknown alias");
        }
        bystander.assertStillServed();
    }

    /** 3.3.2.1: "It is a Protocol Error if the Topic Name is zero length and there is no Topic Alias." */
    @Test
    @DisplayName("3.3.2.1 an empty Topic Name without a Topic Alias gets DISCONNECT 0x82 (Protocol Error)")
    void emptyTopicWithoutAlias() throws IOException {
        try (RawClient c = RawClient.connected(broker.port(), V, unique("alias-missing"), true)) {
            c.sendQuietly(concat(publish(V, "", 0, 0, null, "x"), Packets.pingreq()));
            assertDisconnectedWith(c, 0x82, "empty topic without an alias");
        }
        bystander.assertStillServed();
    }

    /**
     * "A Server MUST accept all Topic Alias values greater than 0 and less than or equal to the Topic Alias Maximum
     * value that it returned in the CONNACK packet [MQTT-3.3.2-12]", and 3.3.4 2b: a Topic Name with a known alias
     * updates the mapping. Both ends of the range, then a remapped alias; the subscriber sees full topics.
     */
    @Test
    @DisplayName("MQTT-3.3.2-12 Topic Aliases 1 to the maximum are accepted, used and remapped; subscribers get topics")
    void validTopicAliases() throws IOException {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_topic_alias", "4");
             RawClient sub = RawClient.connected(b.port(), V, unique("alias-sub"), true);
             RawClient pub = RawClient.connected(b.port(), V, unique("alias-pub"), true)) {
            String base = unique("alias");
            sub.send(subscribe(V, 1, base + "/+", 1));
            sub.expect(Packets.SUBACK);
            Props one = new Props().u16(Props.TOPIC_ALIAS, 1);
            Props four = new Props().u16(Props.TOPIC_ALIAS, 4);
            byte[][] sends = {
                publish(V, base + "/one", 1, 1, one, "1: sets alias 1"),
                publish(V, "", 1, 2, one, "2: alias 1"),
                publish(V, base + "/four", 1, 3, four, "3: sets alias 4, the maximum"),
                publish(V, "", 1, 4, four, "4: alias 4"),
                publish(V, base + "/three", 1, 5, one, "5: remaps alias 1"),
                publish(V, "", 1, 6, one, "6: alias 1 remapped"),
            };
            String[] topics = {"one", "one", "four", "four", "three", "three"};
            for (byte[] p : sends) {
                pub.send(p);
                assertThat(pub.expect(Packets.PUBACK).ackReason()).as("PUBACK reason").isZero();
            }
            for (int i = 0; i < topics.length; i++) {
                Packet got = sub.expect(Packets.PUBLISH);
                assertThat(got.topic()).isEqualTo(base + "/" + topics[i]);
                assertThat(got.payload()).startsWith((i + 1) + ":");
                sub.send(Packets.ack(Packets.PUBACK, got.publishId()));
            }
        }
    }

    /** "A receiver MUST NOT carry forward any Topic Alias mappings from one Network Connection to another
     *  [MQTT-3.3.2-7]." */
    @Test
    @DisplayName("MQTT-3.3.2-7 a Topic Alias set on one connection is unknown on the next: DISCONNECT 0x82")
    void topicAliasesDieWithTheConnection() throws IOException {
        String clientId = unique("alias-again");
        Props one = new Props().u16(Props.TOPIC_ALIAS, 1);
        try (RawClient c = RawClient.connected(broker.port(), V, clientId, true)) {
            c.send(publish(V, unique("alias-again") + "/t", 1, 1, one, "sets alias 1"));
            c.expect(Packets.PUBACK);
        }
        try (RawClient c = RawClient.connected(broker.port(), V, clientId, true)) {
            c.sendQuietly(concat(publish(V, "", 0, 0, one, "alias 1 from the last connection"),
                    Packets.pingreq()));
            assertDisconnectedWith(c, 0x82, "alias from a previous connection");
        }
        bystander.assertStillServed();
    }

    // ---------------------------------------------------------------- 3.3.2.3 PUBLISH properties, forwarded

    /**
     * "The Server MUST send all User Properties unaltered in a PUBLISH packet when forwarding the Application Message
     * to a Client [MQTT-3.3.2-17]." A User Property as the PUBLISH's only property, at each QoS: what arrives must
     * carry exactly the same property bytes (the subscriber asked for no Topic Alias and no Subscription Identifier,
     * so the broker has nothing of its own to add).
     */
    @ParameterizedTest(name = "MQTT-3.3.2-17 a User Property as the only property is forwarded unaltered (QoS {0})")
    @ValueSource(ints = {0, 1, 2})
    void userPropertyAlone(int qos) throws IOException {
        Props sent = new Props().user("k", "v");
        assertForwardedUnaltered(forward(sent, qos, "user property alone"), sent);
    }

    /** "The Server MUST maintain the order of User Properties when forwarding the Application Message
     *  [MQTT-3.3.2-18]." The same name twice: "The same name is allowed to appear more than once." */
    @Test
    @DisplayName("MQTT-3.3.2-18 two User Properties with the same name, as the only properties, are forwarded in order")
    void userPropertiesWithTheSameNameInOrder() throws IOException {
        Props sent = new Props().user("k", "v1").user("k", "v2");
        assertForwardedUnaltered(forward(sent, 1, "same name twice"), sent);
    }

    /** "A Server MUST send the Payload Format Indicator unaltered to all subscribers receiving the Application Message
     *  [MQTT-3.3.2-4]." */
    @Test
    @DisplayName("MQTT-3.3.2-4 a Payload Format Indicator as the only property is forwarded unaltered")
    void payloadFormatIndicatorAlone() throws IOException {
        Props sent = new Props().u8(Props.PAYLOAD_FORMAT, 1);
        assertForwardedUnaltered(forward(sent, 1, "UTF-8 text"), sent);
    }

    /** "A Server MUST send the Content Type unaltered to all subscribers receiving the Application Message
     *  [MQTT-3.3.2-20]." */
    @Test
    @DisplayName("MQTT-3.3.2-20 a Content Type as the only property is forwarded unaltered")
    void contentTypeAlone() throws IOException {
        Props sent = new Props().str(Props.CONTENT_TYPE, "application/json; charset=utf-8");
        assertForwardedUnaltered(forward(sent, 1, "{}"), sent);
    }

    /** "The Server MUST send the Response Topic unaltered to all subscribers receiving the Application Message
     *  [MQTT-3.3.2-15]." */
    @Test
    @DisplayName("MQTT-3.3.2-15 a Response Topic as the only property is forwarded unaltered")
    void responseTopicAlone() throws IOException {
        Props sent = new Props().str(Props.RESPONSE_TOPIC, "reply/to/me");
        assertForwardedUnaltered(forward(sent, 1, "request"), sent);
    }

    /** "The Server MUST send the Correlation Data unaltered to all subscribers receiving the Application Message
     *  [MQTT-3.3.2-16]." Binary Data, so bytes no string could hold. */
    @Test
    @DisplayName("MQTT-3.3.2-16 Correlation Data (binary, with 00 and ff) as the only property is forwarded unaltered")
    void correlationDataAlone() throws IOException {
        Props sent = new Props().str(Props.CORRELATION_DATA, hex("00 de ad ff 0a"));
        assertForwardedUnaltered(forward(sent, 1, "request"), sent);
    }

    /** "The PUBLISH packet sent to a Client by the Server MUST contain a Message Expiry Interval set to the received
     *  value minus the time that the Application Message has been waiting in the Server [MQTT-3.3.2-6]." */
    @Test
    @DisplayName("MQTT-3.3.2-6 a Message Expiry Interval as the only property is forwarded as the time left")
    void messageExpiryAlone() throws IOException {
        long start = System.nanoTime();
        Packet got = forward(new Props().u32(Props.MESSAGE_EXPIRY, 120), 1, "expires");
        long waitedSeconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
        List<WireProp> props = split(propertyBytes(got));
        assertThat(props).as("properties: %s", props).hasSize(1);
        assertThat(props.get(0).id()).isEqualTo(Props.MESSAGE_EXPIRY);
        assertThat(props.get(0).u32()).isBetween(120 - waitedSeconds, 120L);
    }

    /** All the properties a PUBLISH forwards, together: each unaltered (their relative order is free, except among
     *  User Properties), the expiry as the time left. */
    @Test
    @DisplayName("MQTT-3.3.2-4 -6 -15 -16 -17 -18 -20 all forwarded properties together")
    void allForwardedPropertiesTogether() throws IOException {
        Props sent = new Props()
                .u8(Props.PAYLOAD_FORMAT, 1)
                .u32(Props.MESSAGE_EXPIRY, 300)
                .str(Props.CONTENT_TYPE, "application/json")
                .str(Props.RESPONSE_TOPIC, "reply/all")
                .str(Props.CORRELATION_DATA, hex("00 01 02 ff"))
                .user("k", "v1").user("other", "x").user("k", "v2");
        long start = System.nanoTime();
        Packet got = forward(sent, 2, "{}");
        long waitedSeconds = (System.nanoTime() - start) / 1_000_000_000L + 1;
        List<WireProp> props = split(propertyBytes(got));
        List<WireProp> expiry = props.stream().filter(p -> p.id() == Props.MESSAGE_EXPIRY).toList();
        assertThat(expiry).as("one Message Expiry Interval in %s", props).hasSize(1);
        assertThat(expiry.get(0).u32()).isBetween(300 - waitedSeconds, 300L);
        List<WireProp> rest = props.stream().filter(p -> p.id() != Props.MESSAGE_EXPIRY).toList();
        List<WireProp> expected = split(sent.content()).stream()
                .filter(p -> p.id() != Props.MESSAGE_EXPIRY).toList();
        assertThat(rest).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rest.stream().filter(p -> p.id() == Props.USER_PROPERTY).toList())
                .as("User Properties in order").containsExactlyElementsOf(
                        expected.stream().filter(p -> p.id() == Props.USER_PROPERTY).toList());
    }

    /** MQTT-3.3.2-17 holds for every forwarding, a retained message's to a later subscriber too. */
    @Test
    @DisplayName("MQTT-3.3.2-17 a User Property as the only property of a retained message reaches a later subscriber")
    void userPropertyAloneOnARetainedMessage() throws IOException {
        String topic = unique("retained") + "/t";
        Props sent = new Props().user("kept", "with the message");
        try (RawClient pub = RawClient.connected(broker.port(), V, unique("retained-pub"), true)) {
            pub.send(retainedPublish(V, topic, 1, 1, sent, "retained"));
            pub.expect(Packets.PUBACK);
        }
        try (RawClient sub = RawClient.connected(broker.port(), V, unique("retained-sub"), true)) {
            sub.send(subscribe(V, 1, topic, 1));
            sub.expect(Packets.SUBACK);
            Packet got = sub.expect(Packets.PUBLISH);
            assertThat(got.retain()).isTrue();
            assertForwardedUnaltered(got, sent);
        }
    }

    /** "The Server MUST maintain the order of User Properties when publishing the Will Message [MQTT-3.1.3-10]."
     *  User Properties as the Will's only properties; the client goes away without DISCONNECT. */
    @Test
    @DisplayName("MQTT-3.1.3-10 User Properties as a Will's only properties are published with it, in order")
    void willUserPropertiesInOrder() throws IOException {
        String topic = unique("will") + "/t";
        Props willProps = new Props().user("k", "v1").user("k", "v2");
        try (RawClient watcher = RawClient.connected(broker.port(), V, unique("will-watcher"), true)) {
            watcher.send(subscribe(V, 1, topic, 1));
            watcher.expect(Packets.SUBACK);
            try (RawClient doomed = RawClient.open(broker.port())) {
                Packet ack = doomed.connect(Packets.connect(V, unique("will-doomed"))
                        .will(topic, "gone", 0, false).willProperties(willProps));
                assertThat(ack.connackCode()).isZero();
            }                                                  // closed without DISCONNECT: the Will is published
            Packet got = watcher.expect(Packets.PUBLISH);
            assertThat(got.topic()).isEqualTo(topic);
            assertForwardedUnaltered(got, willProps);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The delivered PUBLISH carries exactly the properties sent, byte for byte and in the same order. */
    private static void assertForwardedUnaltered(Packet got, Props sent) {
        assertThat(hexOf(propertyBytes(got))).as("properties of the delivered PUBLISH (hex, without their length)")
                .isEqualTo(hexOf(sent.content()));
    }

    /**
     * Publishes {@code props} from a raw 5.0 client at {@code qos} to a raw 5.0 subscriber (QoS 2 subscription, no
     * Topic Alias Maximum, no Subscription Identifier) and returns the PUBLISH the subscriber got.
     */
    private static Packet forward(Props props, int qos, String payload) throws IOException {
        String topic = unique("fwd") + "/t";
        try (RawClient sub = RawClient.connected(broker.port(), V, unique("fwd-sub"), true);
             RawClient pub = RawClient.connected(broker.port(), V, unique("fwd-pub"), true)) {
            sub.send(subscribe(V, 1, topic, 2));
            sub.expect(Packets.SUBACK);
            pub.send(publish(V, topic, qos, qos == 0 ? 0 : 1, props, payload));
            if (qos == 1) {
                pub.expect(Packets.PUBACK);
            } else if (qos == 2) {
                pub.expect(Packets.PUBREC);
                pub.send(Packets.ack(Packets.PUBREL, 1));
                pub.expect(Packets.PUBCOMP);
            }
            Packet got = sub.expect(Packets.PUBLISH);
            assertThat(got.qos()).as("delivered QoS").isEqualTo(qos);
            assertThat(got.payload()).isEqualTo(payload);
            return got;
        }
    }
}
