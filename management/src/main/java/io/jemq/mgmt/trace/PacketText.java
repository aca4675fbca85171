package io.jemq.mgmt.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One MQTT packet, from its bytes, as EMQ's {@code emqttd_packet:format/1} writes it in a trace:
 * {@code PUBLISH(Q1, R0, D0, Topic=a/b, PacketId=7, Payload=hello)}, {@code SUBACK(Q0, R0, D0, PacketId=3,
 * QosTable=[1])}. The bytes may be only the start of the packet (a trace copies a bounded prefix): what is missing is
 * shown as {@code ...}. 5.0 properties are skipped. Writer thread; stateless.
 */
final class PacketText {
    private static final String[] NAMES = {"RESERVED", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL",
        "PUBCOMP", "SUBSCRIBE", "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "AUTH"};

    private PacketText() {
    }

    /** A cursor over the copied bytes; reading past them throws, and the packet is shown up to there. */
    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        int u8() {
            if (pos >= b.length) {
                throw new IndexOutOfBoundsException();
            }
            return b[pos++] & 0xFF;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        int varint() {
            int value = 0;
            for (int shift = 0; shift < 28; shift += 7) {
                int d = u8();
                value |= (d & 0x7F) << shift;
                if ((d & 0x80) == 0) {
                    return value;
                }
            }
            return value;
        }

        String utf8() {
            int n = u16();
            if (pos + n > b.length) {
                throw new IndexOutOfBoundsException();
            }
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        void skip(int n) {
            pos += n;
        }
    }

    /**
     * @param bytes         the packet's first bytes (fixed header included)
     * @param protocolLevel 3, 4 or 5 (5.0 packets carry properties)
     * @param payloadMax    bytes of a PUBLISH payload to show
     */
    static String describe(byte[] bytes, int protocolLevel, int payloadMax) {
        if (bytes.length == 0) {
            return "?";
        }
        int first = bytes[0] & 0xFF;
        int type = first >> 4;
        int qos = (first >> 1) & 3;
        StringBuilder sb = new StringBuilder(NAMES[type]).append('(');
        if (type == 3) {
            sb.append('Q').append(qos).append(", R").append(first & 1).append(", D").append((first >> 3) & 1);
        } else {
            sb.append('Q').append(type == 6 || type == 8 || type == 10 ? 1 : 0).append(", R0, D0");
        }
        List<String> fields = new ArrayList<>();
        Reader r = new Reader(bytes, 1);
        try {
            int remaining = r.varint();
            int end = r.pos + remaining;
            fields(type, qos, r, end, protocolLevel == 5, payloadMax, fields);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            fields.add("...");
        }
        for (String f : fields) {
            sb.append(", ").append(f);
        }
        return sb.append(')').toString();
    }

    private static void fields(int type, int qos, Reader r, int end, boolean v5, int payloadMax, List<String> out) {
        switch (type) {
            case 2 -> {
                out.add("AckFlags=" + r.u8());
                out.add("RetainCode=" + r.u8());
            }
            case 3 -> publish(qos, r, end, v5, payloadMax, out);
            case 4, 5, 6, 7 -> {
                out.add("PacketId=" + r.u16());
                if (v5 && r.pos < end) {
                    out.add("ReasonCode=" + r.u8());
                }
            }
            case 8 -> subscribe(r, end, v5, out);
            case 9 -> {
                out.add("PacketId=" + r.u16());
                properties(r, v5);
                List<Integer> codes = new ArrayList<>();
                while (r.pos < end && r.pos < r.b.length) {
                    codes.add(r.u8());
                }
                out.add("QosTable=" + codes);
            }
            case 10 -> unsubscribe(r, end, v5, out);
            case 11 -> out.add("PacketId=" + r.u16());
            case 14 -> {
                if (v5 && r.pos < end) {
                    out.add("ReasonCode=" + r.u8());
                }
            }
            default -> {
                // PINGREQ, PINGRESP, AUTH: the fixed header says it all
            }
        }
    }

    private static void subscribe(Reader r, int end, boolean v5, List<String> out) {
        out.add("PacketId=" + r.u16());
        properties(r, v5);
        List<String> table = new ArrayList<>();
        boolean cut = false;
        try {
            while (r.pos < end) {
                String topic = r.utf8();
                table.add(topic + ":" + (r.u8() & 3));
            }
        } catch (IndexOutOfBoundsException e) {
            cut = true;
        }
        out.add("TopicTable=" + table + (cut ? "..." : ""));
    }

    private static void unsubscribe(Reader r, int end, boolean v5, List<String> out) {
        out.add("PacketId=" + r.u16());
        properties(r, v5);
        List<String> topics = new ArrayList<>();
        boolean cut = false;
        try {
            while (r.pos < end) {
                topics.add(r.utf8());
            }
        } catch (IndexOutOfBoundsException e) {
            cut = true;
        }
        out.add("Topics=" + topics + (cut ? "..." : ""));
    }

    private static void publish(int qos, Reader r, int end, boolean v5, int payloadMax, List<String> out) {
        String topic = r.utf8();
        out.add("Topic=" + (topic.isEmpty() && v5 ? "(alias)" : topic));
        if (qos > 0) {
            out.add("PacketId=" + r.u16());
        }
        properties(r, v5);
        int payloadLength = end - r.pos;
        out.add("Payload=" + Payloads.show(r.b, r.pos, payloadLength, payloadMax));
    }

    private static void properties(Reader r, boolean v5) {
        if (v5) {
            r.skip(r.varint());
        }
    }
}
