package io.jemq.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes the few MQTT 3.1.1 / 5.0 packets the hostile clients send, byte by byte, as a hostile client would. */
final class MqttBytes {
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    static final byte[] DISCONNECT = {(byte) 0xE0, 0x00};

    private MqttBytes() {
    }

    /** CONNECT with a client id given as raw bytes, so a test can send ill-formed UTF-8; keepalive 0. */
    static byte[] connect(int version, byte[] clientId, boolean clean) {
        Body b = new Body().str("MQTT").u8(version).u8(clean ? 0x02 : 0x00).u16(0);
        if (version == 5) {
            b.u8(0);                                                  // no properties
        }
        b.u16(clientId.length).raw(clientId);
        return packet(0x10, b);
    }

    static byte[] connect(int version, String clientId, boolean clean) {
        return connect(version, clientId.getBytes(StandardCharsets.UTF_8), clean);
    }

    static byte[] subscribe(int version, int packetId, List<String> filters, int qos) {
        Body b = new Body().u16(packetId);
        if (version == 5) {
            b.u8(0);
        }
        filters.forEach(f -> b.str(f).u8(qos));
        return packet(0x82, b);
    }

    static byte[] publish(int version, String topic, int qos, boolean retain, int packetId, byte[] payload) {
        Body b = new Body().str(topic);
        if (qos > 0) {
            b.u16(packetId);
        }
        if (version == 5) {
            b.u8(0);
        }
        b.raw(payload);
        return packet(0x30 | qos << 1 | (retain ? 1 : 0), b);
    }

    static byte[] puback(int packetId) {
        return new byte[]{0x40, 0x02, (byte) (packetId >> 8), (byte) packetId};
    }

    /** Decodes hex such as {@code "32 0b 00 06"}: how the hostile table writes its literal packets. */
    static byte[] hex(String text) {
        String[] parts = text.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] packet(int firstByte, Body body) {
        byte[] content = body.out.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 5);
        out.write(firstByte);
        int length = content.length;
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static final class Body {
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

        Body str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return u16(bytes.length).raw(bytes);
        }

        Body raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }
    }
}
