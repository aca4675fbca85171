package io.jemq.it;

import org.junit.jupiter.params.provider.Arguments;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the conformance suites share. {@link Packets} takes Java strings, which cannot hold ill-formed UTF-8, and
 * {@link RawClient} fails a test as soon as the broker closes; these suites need both: packets built from raw string
 * bytes, and a client that records everything the broker sent up to its close. Also the ill-formed UTF-8 cases, and a
 * parser that gives 5.0 PUBLISH properties back as the bytes on the wire, so forwarding can be checked byte for byte.
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

    // ---------------------------------------------------------------- bytes

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A packet body; strings are taken as raw bytes behind their two-byte length, whatever they hold. */
    static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body u8(int v) {
            out.write(v);
            return this;
        }

        Body u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Body str(byte[] raw) {
            return u16(raw.length).raw(raw);
        }

        Body str(String s) {
            return str(utf8(s));
        }

        Body raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Body props(Props p) {
            return raw((p == null ? new Props() : p).encoded());
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    /** MQTT 5.0 properties in the order added, string values as raw bytes. */
    static final class Props {
        static final int PAYLOAD_FORMAT = 0x01;
        static final int MESSAGE_EXPIRY = 0x02;
        static final int CONTENT_TYPE = 0x03;
        static final int RESPONSE_TOPIC = 0x08;
        static final int CORRELATION_DATA = 0x09;
        static final int AUTHENTICATION_METHOD = 0x15;
        static final int REASON_STRING = 0x1F;
        static final int TOPIC_ALIAS_MAXIMUM = 0x22;
        static final int TOPIC_ALIAS = 0x23;
        static final int USER_PROPERTY = 0x26;

        private final Body body = new Body();

        Props u8(int id, int v) {
            body.u8(id).u8(v);
            return this;
        }

        Props u16(int id, int v) {
            body.u8(id).u16(v);
            return this;
        }

        Props u32(int id, long v) {
            body.u8(id).u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
            return this;
        }

        /** A UTF-8 string or binary data property: both are a two-byte length and the bytes. */
        Props str(int id, byte[] raw) {
            body.u8(id).str(raw);
            return this;
        }

        Props str(int id, String s) {
            return str(id, utf8(s));
        }

        Props user(byte[] key, byte[] value) {
            body.u8(USER_PROPERTY).str(key).str(value);
            return this;
        }

        Props user(String key, String value) {
            return user(utf8(key), utf8(value));
        }

        /** The properties without their length: what a forwarded PUBLISH must carry byte for byte. */
        byte[] content() {
            return body.toArray();
        }

        byte[] encoded() {
            byte[] c = content();
            return concat(varint(c.length), c);
        }
    }

    static byte[] varint(int v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int digit = v % 128;
            v /= 128;
            out.write(v > 0 ? digit | 0x80 : digit);
        } while (v > 0);
        return out.toByteArray();
    }

    /** A whole packet: first byte, remaining length, body. */
    static byte[] packet(int firstByte, byte[] body) {
        return concat(new byte[]{(byte) firstByte}, varint(body.length), body);
    }

    static byte[] publish(int version, byte[] topic, int qos, int packetId, Props props, byte[] payload) {
        Body b = new Body().str(topic);
        if (qos > 0) {
            b.u16(packetId);
        }
        if (version == 5) {
            b.props(props);
        }
        return packet(0x30 | qos << 1, b.raw(payload).toArray());
    }

    static byte[] publish(int version, String topic, int qos, int packetId, Props props, String payload) {
        return publish(version, utf8(topic), qos, packetId, props, utf8(payload));
    }

    static byte[] retainedPublish(int version, String topic, int qos, int packetId, Props props, String payload) {
        byte[] p = publish(version, topic, qos, packetId, props, payload);
        p[0] |= 0x01;
        return p;
    }

    static byte[] subscribe(int version, int packetId, Props props, byte[] filter, int options) {
        Body b = new Body().u16(packetId);
        if (version == 5) {
            b.props(props);
        }
        return packet(0x82, b.str(filter).u8(options).toArray());
    }

    static byte[] subscribe(int version, int packetId, String filter, int options) {
        return subscribe(version, packetId, null, utf8(filter), options);
    }

    static byte[] unsubscribe(int version, int packetId, Props props, byte[] filter) {
        Body b = new Body().u16(packetId);
        if (version == 5) {
            b.props(props);
        }
        return packet(0xA2, b.str(filter).toArray());
    }

    static byte[] unsubscribe(int version, int packetId, String filter) {
        return unsubscribe(version, packetId, null, utf8(filter));
    }

    /** 5.0 PUBACK, PUBREC, PUBREL or PUBCOMP with a reason code and properties. */
    static byte[] ack5(int type, int packetId, int reason, Props props) {
        int first = type << 4 | (type == Packets.PUBREL ? 0x02 : 0);
        return packet(first, new Body().u16(packetId).u8(reason).props(props).toArray());
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
            Body b = new Body().str("MQTT").u8(version).u8(flags).u16(0);
            if (version == 5) {
                b.props(properties);
            }
            b.str(clientId);
            if (willTopic != null) {
                if (version == 5) {
                    b.props(willProperties);
                }
                b.str(willTopic).str(willPayload);
            }
            if (username != null) {
                b.str(username);
            }
            return packet(0x10, b.toArray());
        }
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A client id or topic level no other test in this JVM uses. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    // ---------------------------------------------------------------- a client that watches the broker close

    /** What a connection received, in order, and whether the broker closed it (false: the time ran out first). */
    record Seen(List<Packet> packets, boolean closed) {
        boolean any(int type) {
            return packets.stream().anyMatch(p -> p.type() == type);
        }

        List<Packet> of(int type) {
            return packets.stream().filter(p -> p.type() == type).toList();
        }

        @Override
        public String toString() {
            return packets.stream().map(Conformance::describe).toList() + (closed ? " then closed" : " (still open)");
        }
    }

    static String describe(Packet p) {
        String[] names = {"?", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
            "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};
        String name = names[p.type()];
        if (p.type() == Packets.DISCONNECT) {
            return name + String.format(" 0x%02x", p.disconnectReason());
        }
        if (p.type() == Packets.CONNACK) {
            return name + String.format(" 0x%02x", p.connackCode());
        }
        return name;
    }

    /**
     * A bare client on a plain socket, like {@link RawClient}, except that a close is an outcome to record, not a
     * failure: {@link #untilClosed} returns every packet the broker sent before it closed.
     */
    static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private int version = 4;

        private Wire(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Wire open(int port) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            return new Wire(s);
        }

        /** Opens and connects with a clean session, asserting the CONNACK accepted it. */
        static Wire connected(int port, int version, String clientId) throws IOException {
            Wire w = open(port);
            Packet ack = w.connect(new RawConnect(version, clientId));
            assertThat(ack.connackCode()).as("CONNACK code for " + clientId).isZero();
            return w;
        }

        /** Sends CONNECT and returns the CONNACK (its code not asserted). */
        Packet connect(RawConnect connect) throws IOException {
            version = connect.version;
            send(connect.bytes());
            return expect(Packets.CONNACK);
        }

        Wire version(int v) {
            version = v;
            return this;
        }

        /** All parts in one write: what "sent right behind it" means for the tests. */
        void send(byte[]... parts) throws IOException {
            out.write(concat(parts));
            out.flush();
        }

        /** For bytes the broker may refuse to read: it may have closed already, which the caller asserts next. */
        void sendQuietly(byte[]... parts) {
            try {
                send(parts);
            } catch (IOException ignored) {
                // closed first
            }
        }

        /** The next packet, which must be of this type, within 5 s. */
        Packet expect(int type) throws IOException {
            Optional<Packet> p = poll(Clients.WAIT);
            assertThat(p).as("a packet of type " + type + " within " + Clients.WAIT).isPresent();
            assertThat(p.get().type()).as("type of " + describe(p.get())).isEqualTo(type);
            return p.get();
        }

        /** The next packet, empty on timeout; fails if the broker closes. */
        Optional<Packet> poll(Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int first = read(deadline);
            if (first == -2) {
                return Optional.empty();
            }
            assertThat(first).as("connection still open").isNotEqualTo(-1);
            return Optional.of(rest(first, deadline));
        }

        /** Reads until the broker closes or the time runs out. */
        Seen untilClosed(Duration timeout) throws IOException {
            return untilClosed(timeout, p -> false);
        }

        /**
         * Reads until the broker closes, the time runs out, or a packet matches {@code stop}: a packet that shows
         * the outcome already (a PINGRESP to the PINGREQ sent behind a malformed packet) need not wait for the time.
         */
        Seen untilClosed(Duration timeout, Predicate<Packet> stop) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Packet> got = new ArrayList<>();
            while (true) {
                int first = read(deadline);
                if (first == -1) {
                    return new Seen(got, true);
                }
                if (first == -2) {
                    return new Seen(got, false);
                }
                Packet p = rest(first, deadline);
                got.add(p);
                if (stop.test(p)) {
                    return new Seen(got, false);
                }
            }
        }

        private Packet rest(int first, long deadline) throws IOException {
            int length = 0;
            int shift = 0;
            int b;
            do {
                b = readRequired(deadline);
                length |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            byte[] body = new byte[length];
            for (int i = 0; i < length; i++) {
                body[i] = (byte) readRequired(deadline);
            }
            return new Packet(first >> 4, first & 0x0F, body, version);
        }

        /** One byte; -1 at end of stream (or reset), -2 when the deadline passed. */
        private int read(long deadlineNanos) throws IOException {
            long leftMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return -2;
            }
            socket.setSoTimeout((int) Math.max(1, leftMillis));
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                return -2;
            } catch (SocketException e) {
                return -1;                      // reset by the broker: closed as well
            }
        }

        private int readRequired(long deadlineNanos) throws IOException {
            int b = read(deadlineNanos + 2_000_000_000L);
            if (b < 0) {
                throw new AssertionError("packet cut short (" + (b == -1 ? "closed" : "timeout") + ")");
            }
            return b;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    // ---------------------------------------------------------------- the outcomes the statements ask for

    /**
     * The broker closed the connection over a malformed packet sent with a PINGREQ behind it. A PINGRESP means it
     * took the packet as well-formed and read on; in 5.0 it may first send DISCONNECT, which must then say 0x81
     * (Malformed Packet): "When a Server detects a Malformed Packet or Protocol Error, and a Reason Code is given in
     * the specification, it MUST close the Network Connection [MQTT-4.13.1-1] ... In the case of an error in any
     * other packet it SHOULD send a DISCONNECT packet containing the reason code before closing".
     */
    static void assertClosedAsMalformed(Wire w, int version, String what) throws IOException {
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
    static void assertDisconnectedWith(Wire w, int reason, String what) throws IOException {
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
    static void assertConnectRefused(Wire w, String what) throws IOException {
        Seen seen = w.untilClosed(CLOSE, p -> p.type() == Packets.CONNACK && p.connackCode() == 0
                || p.type() == Packets.PINGRESP);
        boolean accepted = seen.packets().stream().anyMatch(p -> p.type() == Packets.CONNACK && p.connackCode() == 0);
        assertThat(accepted).as(what + ": a CONNACK accepted the malformed CONNECT: " + seen).isFalse();
        assertThat(seen.any(Packets.PINGRESP))
                .as(what + ": the PINGREQ behind the CONNECT was answered: " + seen).isFalse();
        assertThat(seen.closed()).as(what + ": connection closed within " + CLOSE + ": " + seen).isTrue();
    }

    static long malformed(EmbeddedBroker b) {
        return b.broker().metrics().packetsMalformed.sum();
    }

    /** The broker's own count of malformed packets went up: operators see the offence, not only the client. */
    static void assertCountedAsMalformed(EmbeddedBroker b, long before, String what) {
        await().atMost(CLOSE).untilAsserted(() -> assertThat(malformed(b))
                .as(what + ": packets counted as malformed").isGreaterThan(before));
    }

    /**
     * A client connected before the offences, subscribed at QoS 1: after each one a new client publishes to it, and it
     * must get the message. A malformed packet ends one connection, never the broker's service to the others.
     */
    static final class Bystander implements AutoCloseable {
        private final EmbeddedBroker broker;
        private final int version;
        private final Wire wire;
        private final String topic;
        private int sent;

        Bystander(EmbeddedBroker broker, int version) throws IOException {
            this.broker = broker;
            this.version = version;
            this.topic = unique("bystander") + "/t";
            this.wire = Wire.connected(broker.port(), version, unique("bystander"));
            wire.send(subscribe(version, 1, topic, 1));
            wire.expect(Packets.SUBACK);
        }

        void assertStillServed() throws IOException {
            String payload = "still served " + ++sent;
            try (Wire pub = Wire.connected(broker.port(), version, unique("bystander-pub"))) {
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
