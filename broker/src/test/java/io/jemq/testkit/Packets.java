package io.jemq.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes MQTT packets byte by byte, independently of Netty's codec, so raw-socket tests can send exactly what a
 * real (or broken) client would. Versions: 3 = 3.1, 4 = 3.1.1, 5 = 5.0.
 */
public final class Packets {
    public static final int CONNECT = 1;
    public static final int CONNACK = 2;
    public static final int PUBLISH = 3;
    public static final int PUBACK = 4;
    public static final int PUBREC = 5;
    public static final int PUBREL = 6;
    public static final int PUBCOMP = 7;
    public static final int SUBSCRIBE = 8;
    public static final int SUBACK = 9;
    public static final int UNSUBSCRIBE = 10;
    public static final int UNSUBACK = 11;
    public static final int PINGREQ = 12;
    public static final int PINGRESP = 13;
    public static final int DISCONNECT = 14;

    private Packets() {
    }

    /** A whole packet: first byte (type and flags), remaining length, body. */
    public static byte[] packet(int type, int flags, byte[] body) {
        Bytes b = new Bytes().u8(type << 4 | flags).varint(body.length);
        return b.raw(body).toArray();
    }

    /** A CONNECT being built; {@link #bytes()} encodes it. */
    public static final class Connect {
        public final int version;
        public final String clientId;
        public boolean clean = true;
        public int keepAlive;
        public String willTopic;
        public byte[] willPayload;
        public int willQos;
        public boolean willRetain;
        public String username;
        public byte[] password;
        public Props properties = new Props();
        public Props willProperties = new Props();
        /** Extra bits OR-ed into the connect flags (e.g. the reserved bit 0). */
        public int extraFlags;
        /** The client id as bytes taken as they are (ill-formed UTF-8 too); null: {@link #clientId} encoded. */
        public byte[] rawClientId;

        Connect(int version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        public Connect clean(boolean clean) {
            this.clean = clean;
            return this;
        }

        public Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        public Connect will(String topic, String payload, int qos, boolean retain) {
            this.willTopic = topic;
            this.willPayload = payload.getBytes(StandardCharsets.UTF_8);
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        public Connect credentials(String username, String password) {
            this.username = username;
            this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Connect properties(Props p) {
            this.properties = p;
            return this;
        }

        public Connect willProperties(Props p) {
            this.willProperties = p;
            return this;
        }

        public Connect extraFlags(int bits) {
            this.extraFlags = bits;
            return this;
        }

        public byte[] bytes() {
            Bytes b = new Bytes();
            b.str(version == 3 ? "MQIsdp" : "MQTT").u8(version);
            int flags = extraFlags;
            if (clean) {
                flags |= 0x02;
            }
            if (willTopic != null) {
                flags |= 0x04 | willQos << 3 | (willRetain ? 0x20 : 0);
            }
            if (password != null) {
                flags |= 0x40;
            }
            if (username != null) {
                flags |= 0x80;
            }
            b.u8(flags).u16(keepAlive);
            if (version == 5) {
                b.raw(properties.encoded());
            }
            if (rawClientId != null) {
                b.rawString(rawClientId);
            } else {
                b.str(clientId);
            }
            if (willTopic != null) {
                if (version == 5) {
                    b.raw(willProperties.encoded());
                }
                b.str(willTopic).bin(willPayload);
            }
            if (username != null) {
                b.str(username);
            }
            if (password != null) {
                b.bin(password);
            }
            return packet(CONNECT, 0, b.toArray());
        }
    }

    public static Connect connect(int version, String clientId) {
        return new Connect(version, clientId);
    }

    /** A CONNECT whose client id is these bytes as they are, so a test can send ill-formed UTF-8. */
    public static Connect connect(int version, byte[] rawClientId) {
        Connect c = new Connect(version, new String(rawClientId, StandardCharsets.UTF_8));
        c.rawClientId = rawClientId;
        return c;
    }

    public static byte[] publish(int version, String topic, int qos, boolean retain, boolean dup, int packetId,
                          Props props, byte[] payload) {
        return publish(version, topic.getBytes(StandardCharsets.UTF_8), qos, retain, dup, packetId, props, payload);
    }

    /** The Topic Name as its bytes, taken as they are: well-formed UTF-8 or not. */
    public static byte[] publish(int version, byte[] topic, int qos, boolean retain, boolean dup, int packetId,
                          Props props, byte[] payload) {
        Bytes b = new Bytes().rawString(topic);
        if (qos > 0) {
            b.u16(packetId);
        }
        if (version == 5) {
            b.props(props);
        }
        b.raw(payload);
        int flags = (dup ? 0x08 : 0) | qos << 1 | (retain ? 0x01 : 0);
        return packet(PUBLISH, flags, b.toArray());
    }

    public static byte[] publish(int version, String topic, int qos, int packetId, String payload) {
        return publish(version, topic, qos, false, false, packetId, null, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** SUBSCRIBE with one filter; options byte carries QoS (bits 0-1) and the 5.0 option bits. */
    public static byte[] subscribe(int version, int packetId, Props props, String filter, int options) {
        return subscribe(version, packetId, props, filter.getBytes(StandardCharsets.UTF_8), options);
    }

    /** The Topic Filter as its bytes, taken as they are: well-formed UTF-8 or not. */
    public static byte[] subscribe(int version, int packetId, Props props, byte[] filter, int options) {
        Bytes b = new Bytes().u16(packetId);
        if (version == 5) {
            b.props(props);
        }
        b.rawString(filter).u8(options);
        return packet(SUBSCRIBE, 0x02, b.toArray());
    }

    public static byte[] subscribe(int version, int packetId, String filter, int qos) {
        return subscribe(version, packetId, null, filter, qos);
    }

    /** SUBSCRIBE with several filters, each at {@code qos}. */
    public static byte[] subscribe(int version, int packetId, List<String> filters, int qos) {
        Bytes b = new Bytes().u16(packetId);
        if (version == 5) {
            b.props(null);
        }
        filters.forEach(f -> b.str(f).u8(qos));
        return packet(SUBSCRIBE, 0x02, b.toArray());
    }

    /** The packets one after the other, e.g. to send them in one write or one WebSocket frame. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * One whole packet from a stream (a socket's, or a WebSocket's frames), parsed as 3.1.1; null at the end of the
     * stream or when it ends inside the packet. Blocks as the stream does.
     */
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
        return body.length < remaining ? null : new Packet(first >> 4, first & 0x0F, body, 4);
    }

    /** Decodes hex such as {@code "32 0b 00 06"}: how tables of literal packets are written. */
    public static byte[] hex(String text) {
        String[] parts = text.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /** PUBACK, PUBREC, PUBREL (with its required flags 0010) or PUBCOMP. */
    public static byte[] ack(int type, int packetId) {
        return packet(type, type == PUBREL ? 0x02 : 0, new Bytes().u16(packetId).toArray());
    }

    /** QoS 0 PUBLISH without properties (an empty property list on 5.0). */
    public static byte[] publish(int version, String topic, byte[] payload) {
        return publish(version, topic, 0, false, false, 0, null, payload);
    }

    public static byte[] pingreq() {
        return packet(PINGREQ, 0, new byte[0]);
    }

    public static byte[] disconnect() {
        return packet(DISCONNECT, 0, new byte[0]);
    }

    public static byte[] disconnect5(int reasonCode, Props props) {
        return packet(DISCONNECT, 0, new Bytes().u8(reasonCode).raw(props.encoded()).toArray());
    }

    /** Little encoder for the MQTT data types. */
    public static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Bytes u8(int v) {
            out.write(v);
            return this;
        }

        public Bytes u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        public Bytes u32(long v) {
            return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
        }

        public Bytes varint(int v) {
            do {
                int digit = v % 128;
                v /= 128;
                out.write(v > 0 ? digit | 0x80 : digit);
            } while (v > 0);
            return this;
        }

        public Bytes str(String s) {
            return bin(s.getBytes(StandardCharsets.UTF_8));
        }

        public Bytes bin(byte[] b) {
            return u16(b.length).raw(b);
        }

        /** A UTF-8 string field given as its bytes, taken as they are: how tests send ill-formed UTF-8. */
        public Bytes rawString(byte[] utf8) {
            return bin(utf8);
        }

        /** 5.0 properties with their length; null: none (a Property Length of 0). */
        public Bytes props(Props p) {
            return raw((p == null ? new Props() : p).encoded());
        }

        public Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        public byte[] toArray() {
            return out.toByteArray();
        }
    }

    /** MQTT 5.0 properties, in the order added. */
    public static final class Props {
        public static final int PAYLOAD_FORMAT = 0x01;
        public static final int MESSAGE_EXPIRY = 0x02;
        public static final int CONTENT_TYPE = 0x03;
        public static final int RESPONSE_TOPIC = 0x08;
        public static final int CORRELATION_DATA = 0x09;
        public static final int SUBSCRIPTION_ID = 0x0B;
        public static final int SESSION_EXPIRY = 0x11;
        public static final int ASSIGNED_CLIENT_ID = 0x12;
        public static final int SERVER_KEEP_ALIVE = 0x13;
        public static final int AUTHENTICATION_METHOD = 0x15;
        public static final int WILL_DELAY = 0x18;
        public static final int REASON_STRING = 0x1F;
        public static final int RECEIVE_MAXIMUM = 0x21;
        public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
        public static final int TOPIC_ALIAS = 0x23;
        public static final int USER_PROPERTY = 0x26;
        public static final int MAXIMUM_PACKET_SIZE = 0x27;

        private final Bytes body = new Bytes();

        public Props u8(int id, int v) {
            body.u8(id).u8(v);
            return this;
        }

        public Props u16(int id, int v) {
            body.u8(id).u16(v);
            return this;
        }

        public Props u32(int id, long v) {
            body.u8(id).u32(v);
            return this;
        }

        public Props varint(int id, int v) {
            body.u8(id).varint(v);
            return this;
        }

        public Props str(int id, String v) {
            body.u8(id).str(v);
            return this;
        }

        /** A UTF-8 string or Binary Data property given as its bytes: both are a two-byte length and the bytes. */
        public Props str(int id, byte[] raw) {
            body.u8(id).rawString(raw);
            return this;
        }

        public Props user(String key, String value) {
            body.u8(USER_PROPERTY).str(key).str(value);
            return this;
        }

        public Props user(byte[] key, byte[] value) {
            body.u8(USER_PROPERTY).rawString(key).rawString(value);
            return this;
        }

        /** The properties without their length: what a forwarded PUBLISH must carry byte for byte. */
        public byte[] content() {
            return body.toArray();
        }

        public byte[] encoded() {
            byte[] b = content();
            return new Bytes().varint(b.length).raw(b).toArray();
        }
    }
}
