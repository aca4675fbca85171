package io.jemq.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One packet as a raw client received it: type, the four flag bits and the body after the remaining length, with
 * readers for the fields tests look at. {@code version} decides whether the body carries 5.0 properties.
 */
public record Packet(int type, int flags, byte[] body, int version) {

    public int packetId() {
        return u16(0);
    }

    /** CONNACK: the return code (3.1.1) or reason code (5.0). */
    public int connackCode() {
        return body[1] & 0xFF;
    }

    public boolean sessionPresent() {
        return (body[0] & 0x01) != 0;
    }

    /** CONNACK (5.0) properties. */
    public List<Prop> connackProperties() {
        return properties(2).props;
    }

    /** 5.0 DISCONNECT reason code; zero when the body is empty. */
    public int disconnectReason() {
        return body.length == 0 ? 0 : body[0] & 0xFF;
    }

    public List<Prop> disconnectProperties() {
        return body.length < 2 ? List.of() : properties(1).props;
    }

    /** PUBACK/PUBREC/PUBREL/PUBCOMP (5.0): the reason code, zero when omitted. */
    public int ackReason() {
        return body.length > 2 ? body[2] & 0xFF : 0;
    }

    /** SUBACK return codes, one per filter. */
    public int[] subackCodes() {
        int start = 2;
        if (version == 5) {
            start = properties(2).end;
        }
        int[] codes = new int[body.length - start];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = body[start + i] & 0xFF;
        }
        return codes;
    }

    public boolean dup() {
        return (flags & 0x08) != 0;
    }

    public int qos() {
        return (flags >> 1) & 0x03;
    }

    public boolean retain() {
        return (flags & 0x01) != 0;
    }

    public String topic() {
        return new String(body, 2, u16(0), StandardCharsets.UTF_8);
    }

    /** PUBLISH packet id (zero for QoS 0). */
    public int publishId() {
        return qos() == 0 ? 0 : u16(2 + u16(0));
    }

    public List<Prop> publishProperties() {
        return version == 5 ? properties(propertiesStart()).props : List.of();
    }

    public String payload() {
        int start = propertiesStart();
        if (version == 5) {
            start = properties(start).end;
        }
        return new String(body, start, body.length - start, StandardCharsets.UTF_8);
    }

    private int propertiesStart() {
        return 2 + u16(0) + (qos() > 0 ? 2 : 0);
    }

    /** The whole body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The big-endian two-byte integer at {@code at} in the body. */
    public int u16(int at) {
        return (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
    }

    /** One 5.0 property: integers as Long, strings as String, binary as byte[], user properties as String[2]. */
    public record Prop(int id, Object value) {
    }

    public static Object first(List<Prop> props, int id) {
        return props.stream().filter(p -> p.id == id).map(Prop::value).findFirst().orElse(null);
    }

    public static List<Object> all(List<Prop> props, int id) {
        return props.stream().filter(p -> p.id == id).map(Prop::value).toList();
    }

    private record Parsed(List<Prop> props, int end) {
    }

    private Parsed properties(int at) {
        int[] pos = {at};
        int length = varint(pos);
        int end = pos[0] + length;
        List<Prop> out = new ArrayList<>();
        while (pos[0] < end) {
            int id = body[pos[0]++] & 0xFF;
            Object v = switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> (long) (body[pos[0]++] & 0xFF);
                case 0x13, 0x21, 0x22, 0x23 -> {
                    long x = u16(pos[0]);
                    pos[0] += 2;
                    yield x;
                }
                case 0x02, 0x11, 0x18, 0x27 -> {
                    long x = (long) u16(pos[0]) << 16 | u16(pos[0] + 2);
                    pos[0] += 4;
                    yield x;
                }
                case 0x0B -> (long) varint(pos);
                case 0x09, 0x16 -> {
                    int n = u16(pos[0]);
                    byte[] b = Arrays.copyOfRange(body, pos[0] + 2, pos[0] + 2 + n);
                    pos[0] += 2 + n;
                    yield b;
                }
                case 0x26 -> new String[]{string(pos), string(pos)};
                default -> string(pos);
            };
            out.add(new Prop(id, v));
        }
        return new Parsed(out, end);
    }

    private String string(int[] pos) {
        int n = u16(pos[0]);
        String s = new String(body, pos[0] + 2, n, StandardCharsets.UTF_8);
        pos[0] += 2 + n;
        return s;
    }

    private int varint(int[] pos) {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = body[pos[0]++] & 0xFF;
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    @Override
    public String toString() {
        return "Packet[type=" + type + ", flags=" + flags + ", " + body.length + " bytes]";
    }
}
