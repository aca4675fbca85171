package io.jemq.it;

import io.jemq.sys.Counter;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets.Bytes;
import io.jemq.testkit.Packets.Props;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient.Seen;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the conformance suites share: packets whose string fields are raw bytes (built with {@link Packets.Bytes}, for
 * ill-formed UTF-8), the ill-formed UTF-8 cases, the outcomes the statements ask for (read with
 * {@link RawClient#untilClosed}, which records everything the broker sent up to its close), and a parser that gives 5.0
 * PUBLISH properties back as the bytes on the wire, so forwarding can be checked byte for byte.
 */
final class Conformance {
    /** A broker that detects a malformed packet closes at once; this only bounds a broker that does not. */
    static final Duration CLOSE = Duration.ofSeconds(2);

    private Conformance() {
    }

    // ---------------------------------------------------------------- ill-formed UTF-8

    /**
     * A string that is not a well-formed UTF-8 Encoded String, with the statement it breaks: the character data "MUST
     * be well-formed UTF-8 as defined by the Unicode specification and restated in RFC 3629. In particular this data
     * MUST NOT include encodings of code points between U+D800 and U+DFFF" (MQTT-1.5.3-1, 5.0: MQTT-1.5.4-1), and "MUST
     * NOT include an encoding of the null character U+0000" (MQTT-1.5.3-2, 5.0: MQTT-1.5.4-2). RFC 3629 makes overlong
     * forms and code points above U+10FFFF ill-formed too.
     */
    record BadUtf8(String what, byte[] bytes, boolean nul) {
        String statement(int version) {
            if (version == 5) {
                return nul ? "MQTT-1.5.4-2" : "MQTT-1.5.4-1";
            }
            return nul ? "MQTT-1.5.3-2" : "MQTT-1.5.3-1";
        }

        @Override
        public String toString() {
            return what;
        }
    }

    /** Each case is inside otherwise plain ASCII, as a real client's bug would put it. */
    static final List<BadUtf8> BAD_UTF8 = List.of(
            new BadUtf8("invalid byte ff", hex("61 ff 62"), false),
            new BadUtf8("lead byte c3 without its continuation (c3 28)", hex("61 c3 28"), false),
            new BadUtf8("sequence cut short at the end (e2 82)", hex("61 e2 82"), false),
            new BadUtf8("overlong U+0000 (c0 80)", hex("61 c0 80 62"), false),
            new BadUtf8("overlong U+0000 in three bytes (e0 80 80)", hex("61 e0 80 80 62"), false),
            // a lenient decoder would read "a/b": a topic level a client never meant
            new BadUtf8("overlong '/' (c0 af)", hex("61 c0 af 62"), false),
            new BadUtf8("surrogate U+D800 (ed a0 80)", hex("61 ed a0 80 62"), false),
            new BadUtf8("surrogate U+DFFF (ed bf bf)", hex("61 ed bf bf 62"), false),
            new BadUtf8("code point above U+10FFFF (f4 90 80 80)", hex("61 f4 90 80 80 62"), false),
            new BadUtf8("U+0000 as a raw 00 byte", hex("61 00 62"), true));

    /** A string field of some packet: builds the whole packet around the raw string bytes it is given. */
    record Field(String name, Function<byte[], byte[]> packet) {
    }

    /** Every field with every ill-formed string, as (display name, packet): "statement, case, field, outcome". */
    static Stream<Arguments> cases(int version, List<Field> fields, String outcome) {
        List<Arguments> out = new ArrayList<>();
        for (Field f : fields) {
            for (BadUtf8 bad : BAD_UTF8) {
                out.add(Arguments.of(bad.statement(version) + " " + bad.what() + " in the " + f.name() + " " + outcome,
                        f.packet().apply(bad.bytes())));
            }
        }
        return out.stream();
    }

    /** Every ill-formed string, as (display name, raw bytes), for fields that need a flow of their own. */
    static Stream<Arguments> cases(int version, String field, String outcome) {
        return BAD_UTF8.stream().map(bad -> Arguments.of(bad.statement(version) + " " + bad.what() + " in the " + field
                + " " + outcome, bad.bytes()));
    }

    /**
     * Packets with a length inside them that reaches past their end, as (description, bytes): each alone, and with a
     * PINGREQ behind it in the same write, which a decoder reading past the Remaining Length would swallow. As
     * (display name, bytes to send): "statement, description, outcome".
     */
    static Stream<Arguments> aloneAndWithPingBehind(String statement, Object[][] packets) {
        List<Arguments> out = new ArrayList<>();
        for (Object[] c : packets) {
            byte[] packet = (byte[]) c[1];
            out.add(Arguments.of(statement + " " + c[0] + " closes the connection", packet));
            out.add(Arguments.of(statement + " " + c[0] + ", PINGREQ behind it in the same write: closes the "
                    + "connection, PINGREQ unanswered", Packets.concat(packet, Packets.pingreq())));
        }
        return out.stream();
    }

    // ---------------------------------------------------------------- bytes

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] publish(int version, byte[] topic, int qos, int packetId, Props props, byte[] payload) {
        return Packets.publish(version, topic, qos, false, false, packetId, props, payload);
    }

    static byte[] publish(int version, String topic, int qos, int packetId, Props props, String payload) {
        return publish(version, utf8(topic), qos, packetId, props, utf8(payload));
    }

    static byte[] retainedPublish(int version, String topic, int qos, int packetId, Props props, String payload) {
        return Packets.publish(version, utf8(topic), qos, true, false, packetId, props, utf8(payload));
    }

    static byte[] subscribe(int version, int packetId, Props props, byte[] filter, int options) {
        return Packets.subscribe(version, packetId, props, filter, options);
    }

    static byte[] subscribe(int version, int packetId, String filter, int options) {
        return subscribe(version, packetId, null, utf8(filter), options);
    }

    static byte[] unsubscribe(int version, int packetId, Props props, byte[] filter) {
        Bytes b = new Bytes().u16(packetId);
        if (version == 5) {
            b.props(props);
        }
        return Packets.packet(Packets.UNSUBSCRIBE, 0x02, b.rawString(filter).toArray());
    }

    static byte[] unsubscribe(int version, int packetId, String filter) {
        return unsubscribe(version, packetId, null, utf8(filter));
    }

    /** 5.0 PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code and properties. */
    static byte[] ack5(int type, int packetId, int reason, Props props) {
        return Packets.packet(type, type == Packets.PUBREL ? 0x02 : 0,
                new Bytes().u16(packetId).u8(reason).props(props).toArray());
    }

    /** A CONNECT whose string fields are raw bytes (null: the field and its flag are left out). */
    static final class RawConnect {
        final int version;
        byte[] clientId;
        byte[] username;
        byte[] willTopic;
        byte[] willPayload = utf8("gone");
        Props properties = new Props();
        Props willProperties = new Props();

        RawConnect(int version, byte[] clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        RawConnect(int version, String clientId) {
            this(version, utf8(clientId));
        }

        RawConnect clientId(byte[] raw) {
            clientId = raw;
            return this;
        }

        RawConnect username(byte[] raw) {
            username = raw;
            return this;
        }

        RawConnect will(byte[] topic, Props props) {
            willTopic = topic;
            willProperties = props == null ? new Props() : props;
            return this;
        }

        RawConnect properties(Props p) {
            properties = p;
            return this;
        }

        byte[] bytes() {
            int flags = 0x02;                                    // clean session / clean start
            if (willTopic != null) {
                flags |= 0x04;                                   // will, QoS 0, not retained
            }
            if (username != null) {
                flags |= 0x80;
            }
            Bytes b = new Bytes().str("MQTT").u8(version).u8(flags).u16(0);
            if (version == 5) {
                b.props(properties);
            }
            b.rawString(clientId);
            if (willTopic != null) {
                if (version == 5) {
                    b.props(willProperties);
                }
                b.rawString(willTopic).bin(willPayload);
            }
            if (username != null) {
                b.rawString(username);
            }
            return Packets.packet(Packets.CONNECT, 0, b.toArray());
        }
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A client id or topic level no other test in this JVM uses. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    // ---------------------------------------------------------------- the outcomes the statements ask for

    /**
     * The broker closed the connection over a malformed packet sent with a PINGREQ behind it. A PINGRESP means it
     * took the packet as well-formed and read on; in 5.0 it may first send DISCONNECT, which must then say 0x81
     * (Malformed Packet): "When a Server detects a Malformed Packet or Protocol Error, and a Reason Code is given in
     * the specification, it MUST close the Network Connection [MQTT-4.13.1-1] ... In the case of an error in any
     * other packet it SHOULD send a DISCONNECT packet containing the reason code before closing".
     */
    static void assertClosedAsMalformed(RawClient w, int version, String what) throws IOException {
        Seen seen = w.untilClosed(CLOSE, p -> p.type() == Packets.PINGRESP);
        assertThat(seen.any(Packets.PINGRESP))
                .as(what + ": the PINGREQ sent behind the malformed packet was answered, so the broker took the "
                        + "packet as well-formed and went on reading: " + seen)
                .isFalse();
        assertThat(seen.closed()).as(what + ": connection closed within " + CLOSE + ": " + seen).isTrue();
        if (version == 5) {
            for (Packet d : seen.of(Packets.DISCONNECT)) {
                assertThat(d.disconnectReason()).as(what + ": DISCONNECT reason before the close: " + seen)
                        .isEqualTo(0x81);
            }
        }
    }

    /** 5.0: the broker sent DISCONNECT with exactly this reason, then closed; no PINGRESP to the PINGREQ behind. */
    static void assertDisconnectedWith(RawClient w, int reason, String what) throws IOException {
        Seen seen = w.untilClosed(CLOSE, p -> p.type() == Packets.PINGRESP);
        assertThat(seen.any(Packets.PINGRESP))
                .as(what + ": the PINGREQ sent behind the offending packet was answered, so the broker went on "
                        + "reading: " + seen)
                .isFalse();
        assertThat(seen.of(Packets.DISCONNECT)).as(what + ": DISCONNECT packets: " + seen).hasSize(1);
        assertThat(seen.of(Packets.DISCONNECT).get(0).disconnectReason())
                .as(what + ": DISCONNECT reason: " + seen).isEqualTo(reason);
        assertThat(seen.closed()).as(what + ": connection closed after the DISCONNECT: " + seen).isTrue();
    }

    /** A CONNECT the broker must refuse: it closes and sends no CONNACK accepting it (code 0). */
    static void assertConnectRefused(RawClient w, String what) throws IOException {
        Seen seen = w.untilClosed(CLOSE, p -> p.type() == Packets.CONNACK && p.connackCode() == 0
                || p.type() == Packets.PINGRESP);
        boolean accepted = seen.packets().stream().anyMatch(p -> p.type() == Packets.CONNACK && p.connackCode() == 0);
        assertThat(accepted).as(what + ": a CONNACK accepted the malformed CONNECT: " + seen).isFalse();
        assertThat(seen.any(Packets.PINGRESP))
                .as(what + ": the PINGREQ behind the CONNECT was answered: " + seen).isFalse();
        assertThat(seen.closed()).as(what + ": connection closed within " + CLOSE + ": " + seen).isTrue();
    }

    static long malformed(EmbeddedBroker b) {
        return b.broker().counters().get(Counter.PACKETS_MALFORMED);
    }

    /** The broker's own count of malformed packets went up: operators see the offence, not only the client. */
    static void assertCountedAsMalformed(EmbeddedBroker b, long before, String what) {
        await().atMost(CLOSE).untilAsserted(() -> assertThat(malformed(b))
                .as(what + ": packets counted as malformed").isGreaterThan(before));
    }

    /**
     * A client connected before the offences, subscribed at QoS 1: after each one a new client publishes to it, and it
     * must get the message. A malformed packet ends one connection, never the broker's service to the others.
     * {@link #assertSurvives} runs an offence and asserts that, with the broker's count of malformed packets.
     */
    static final class Bystander implements AutoCloseable {
        private final EmbeddedBroker broker;
        private final int version;
        private final RawClient wire;
        private final String topic;
        private int sent;

        Bystander(EmbeddedBroker broker, int version) throws IOException {
            this.broker = broker;
            this.version = version;
            this.topic = unique("bystander") + "/t";
            this.wire = RawClient.connected(broker.port(), version, unique("bystander"), true);
            wire.send(subscribe(version, 1, topic, 1));
            wire.expect(Packets.SUBACK);
        }

        /**
         * Runs {@code offence}, then asserts what every malformed packet must leave behind: the broker counted it as
         * malformed, and this bystander is still served.
         */
        void assertSurvives(String what, Offence offence) throws IOException {
            long before = malformed(broker);
            offence.commit();
            assertCountedAsMalformed(broker, before, what);
            assertStillServed();
        }

        /**
         * The plainest offence: a new client (clean session, id from {@code clientPrefix}) sends {@code bytes} in one
         * write and the broker closes it as malformed ({@link #assertClosedAsMalformed}); then {@link #assertSurvives}.
         */
        void assertClosedAsMalformedAfterConnect(String what, String clientPrefix, byte[] bytes) throws IOException {
            assertSurvives(what, () -> {
                try (RawClient c = RawClient.connected(broker.port(), version, unique(clientPrefix), true)) {
                    c.sendQuietly(bytes);
                    assertClosedAsMalformed(c, version, what);
                }
            });
        }

        void assertStillServed() throws IOException {
            String payload = "still served " + ++sent;
            try (RawClient pub = RawClient.connected(broker.port(), version, unique("bystander-pub"), true)) {
                pub.send(publish(version, topic, 1, 1, null, payload));
                pub.expect(Packets.PUBACK);
            }
            long deadline = System.nanoTime() + Clients.WAIT.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                Optional<Packet> p = wire.poll(Duration.ofNanos(Math.max(1, left)));
                assertThat(p).as("the bystander got \"" + payload + "\" within " + Clients.WAIT).isPresent();
                if (p.get().type() != Packets.PUBLISH) {
                    continue;
                }
                wire.send(Packets.ack(Packets.PUBACK, p.get().publishId()));
                if (p.get().payload().equals(payload)) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            wire.close();
        }
    }

    /** What a test does to the broker: a flow that ends with a malformed packet. */
    interface Offence {
        void commit() throws IOException;
    }

    // ---------------------------------------------------------------- 5.0 PUBLISH properties on the wire

    /** One property as on the wire: its identifier byte, then its value exactly as encoded. */
    record WireProp(int id, byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WireProp w && w.id == id && Arrays.equals(w.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return 31 * id + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return String.format("0x%02x[%s]", id, HexFormat.ofDelimiter(" ").formatHex(bytes));
        }

        /** A Four Byte Integer property's value. */
        long u32() {
            return (bytes[1] & 0xFFL) << 24 | (bytes[2] & 0xFFL) << 16 | (bytes[3] & 0xFFL) << 8 | bytes[4] & 0xFFL;
        }
    }

    /** A 5.0 PUBLISH's properties without their length, exactly as the broker sent them. */
    static byte[] propertyBytes(Packet publish) {
        byte[] body = publish.body();
        int at = 2 + ((body[0] & 0xFF) << 8 | body[1] & 0xFF) + (publish.qos() > 0 ? 2 : 0);
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = body[at++] & 0xFF;
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return Arrays.copyOfRange(body, at, at + length);
    }

    /** Splits property bytes into properties, each kept as on the wire; fails on an unknown identifier. */
    static List<WireProp> split(byte[] props) {
        List<WireProp> out = new ArrayList<>();
        int at = 0;
        while (at < props.length) {
            int start = at;
            int id = props[at++] & 0xFF;
            switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> at += 1;
                case 0x13, 0x21, 0x22, 0x23 -> at += 2;
                case 0x02, 0x11, 0x18, 0x27 -> at += 4;
                case 0x0B -> {
                    while ((props[at++] & 0x80) != 0) {
                        // the continuation bits of a Variable Byte Integer
                    }
                }
                case 0x03, 0x08, 0x09, 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F -> at += 2 + u16(props, at);
                case 0x26 -> {
                    at += 2 + u16(props, at);
                    at += 2 + u16(props, at);
                }
                default -> throw new AssertionError(String.format("unknown property 0x%02x in %s", id,
                        HexFormat.ofDelimiter(" ").formatHex(props)));
            }
            out.add(new WireProp(id, Arrays.copyOfRange(props, start, at)));
        }
        return out;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF;
    }

    static String hexOf(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
