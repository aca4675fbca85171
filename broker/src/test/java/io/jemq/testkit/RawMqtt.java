package io.jemq.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** MQTT 3.1.1 packets as bytes, for clients that must control every byte (raw sockets, WebSocket frames). */
public final class RawMqtt {
    private RawMqtt() {
    }

    public static byte[] connect(String clientId, int keepAliveSeconds) {
        return connect(clientId, null, keepAliveSeconds);
    }

    public static byte[] connect(String clientId, String username, int keepAliveSeconds) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(4);                                        // 3.1.1
        body.write(0x02 | (username != null ? 0x80 : 0));     // clean session, username
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        string(body, clientId);
        if (username != null) {
            string(body, username);
        }
        return packet(0x10, body.toByteArray());
    }

    public static byte[] subscribe(int packetId, String filter, int qos) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        string(body, filter);
        body.write(qos);
        return packet(0x82, body.toByteArray());
    }

    public static byte[] publish(String topic, byte[] payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.writeBytes(payload);
        return packet(0x30, body.toByteArray());
    }

    public static byte[] pingreq() {
        return new byte[]{(byte) 0xC0, 0x00};
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int remaining = body.length;
        do {
            int digit = remaining % 128;
            remaining /= 128;
            out.write(remaining > 0 ? digit | 0x80 : digit);
        } while (remaining > 0);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }

    /** One packet from a stream: its type nibble and body, or null at the end of the stream. */
    public record Packet(int type, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static Packet read(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int remaining = 0;
        int multiplier = 1;
        int b;
        do {
            b = in.read();
            if (b < 0) {
                return null;
            }
            remaining += (b & 0x7F) * multiplier;
            multiplier *= 128;
        } while ((b & 0x80) != 0);
        byte[] body = in.readNBytes(remaining);
        return body.length < remaining ? null : new Packet(first >> 4, body);
    }
}
