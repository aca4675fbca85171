package io.jemq.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes MQTT packets byte by byte, independently of Netty's codec, so raw-socket tests can send exactly what a
 * real (or broken) client would. Versions: 3 = 3.1, 4 = 3.1.1, 5 = 5.0.
 */
final class Packets {
    static final int CONNECT = 1;
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBSCRIBE = 8;
    static final int SUBACK = 9;
    static final int UNSUBSCRIBE = 10;
    static final int UNSUBACK = 11;
    static final int PINGREQ = 12;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    private Packets() {
    }

    /** A whole packet: first byte (type and flags), remaining length, body. */
    static byte[] packet(int type, int flags, byte[] body) {
        Bytes b = new Bytes().u8(type << 4 | flags).varint(body.length);
        return b.raw(body).toArray();
    }

    /** A CONNECT being built; {@link #bytes()} encodes it. */
    static final class Connect {
        final int version;
        final String clientId;
        boolean clean = true;
        int keepAlive;
        String willTopic;
        byte[] willPayload;
        int willQos;
        boolean willRetain;
        String username;
        byte[] password;
        Props properties = new Props();
        Props willProperties = new Props();
        /** Extra bits OR-ed into the connect flags (e.g. the reserved bit 0). */
        int extraFlags;

        Connect(int version, String clientId) {
            this.version = version;
            this.clientId = clientId;
        }

        Connect clean(boolean clean) {
            this.clean = clean;
            return this;
        }

        Connect keepAlive(int seconds) {
            this.keepAlive = seconds;
            return this;
        }

        Connect will(String topic, String payload, int qos, boolean retain) {
            this.willTopic = topic;
            this.willPayload = payload.getBytes(StandardCharsets.UTF_8);
            this.willQos = qos;
            this.willRetain = retain;
            return this;
        }

        Connect credentials(String username, String password) {
            this.username = username;
            this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Connect properties(Props p) {
            this.properties = p;
            return this;
        }

        Connect willProperties(Props p) {
            this.willProperties = p;
            return this;
        }

        Connect extraFlags(int bits) {
            this.extraFlags = bits;
            return this;
        }

        byte[] bytes() {
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
            b.str(clientId);
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

    static Connect connect(int version, String clientId) {
        return new Connect(version, clientId);
    }

    static byte[] publish(int version, String topic, int qos, boolean retain, boolean dup, int packetId,
                          Props props, byte[] payload) {
        return publish(version, topic.getBytes(StandardCharsets.UTF_8), qos, retain, dup, packetId, props, payload);
    }

    /** The Topic Name as its bytes, taken as they are: well-formed UTF-8 or not. */
    static byte[] publish(int version, byte[] topic, int qos, boolean retain, boolean dup, int packetId,
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

    static byte[] publish(int version, String topic, int qos, int packetId, String payload) {
        return publish(version, topic, qos, false, false, packetId, null, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** SUBSCRIBE with one filter; options byte carries QoS (bits 0-1) and the 5.0 option bits. */
    static byte[] subscribe(int version, int packetId, Props props, String filter, int options) {
        return subscribe(version, packetId, props, filter.getBytes(StandardCharsets.UTF_8), options);
    }

    /** The Topic Filter as its bytes, taken as they are: well-formed UTF-8 or not. */
    static byte[] subscribe(int version, int packetId, Props props, byte[] filter, int options) {
        Bytes b = new Bytes().u16(packetId);
        if (version == 5) {
            b.props(props);
        }
        b.rawString(filter).u8(options);
        return packet(SUBSCRIBE, 0x02, b.toArray());
    }

    static byte[] subscribe(int version, int packetId, String filter, int qos) {
        return subscribe(version, packetId, null, filter, qos);
    }

    /** PUBACK, PUBREC, PUBREL (with its required flags 0010) or PUBCOMP. */
    static byte[] ack(int type, int packetId) {
        return packet(type, type == PUBREL ? 0x02 : 0, new Bytes().u16(packetId).toArray());
    }

    static byte[] pingreq() {
        return packet(PINGREQ, 0, new byte[0]);
    }

    static byte[] disconnect() {
        return packet(DISCONNECT, 0, new byte[0]);
    }

    static byte[] disconnect5(int reasonCode, Props props) {
        return packet(DISCONNECT, 0, new Bytes().u8(reasonCode).raw(props.encoded()).toArray());
    }

    /** Little encoder for the MQTT data types. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Bytes u32(long v) {
            return u16((int) (v >>> 16) & 0xFFFF).u16((int) v & 0xFFFF);
        }

        Bytes varint(int v) {
            do {
                int digit = v % 128;
                v /= 128;
                out.write(v > 0 ? digit | 0x80 : digit);
            } while (v > 0);
            return this;
        }

        Bytes str(String s) {
            return bin(s.getBytes(StandardCharsets.UTF_8));
        }

        Bytes bin(byte[] b) {
            return u16(b.length).raw(b);
        }

        /** A UTF-8 string field given as its bytes, taken as they are: how tests send ill-formed UTF-8. */
        Bytes rawString(byte[] utf8) {
            return bin(utf8);
        }

        /** 5.0 properties with their length; null: none (a Property Length of 0). */
        Bytes props(Props p) {
            return raw((p == null ? new Props() : p).encoded());
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    /** MQTT 5.0 properties, in the order added. */
    static final class Props {
        static final int PAYLOAD_FORMAT = 0x01;
        static final int MESSAGE_EXPIRY = 0x02;
        static final int CONTENT_TYPE = 0x03;
        static final int RESPONSE_TOPIC = 0x08;
        static final int CORRELATION_DATA = 0x09;
        static final int SUBSCRIPTION_ID = 0x0B;
        static final int SESSION_EXPIRY = 0x11;
        static final int ASSIGNED_CLIENT_ID = 0x12;
        static final int SERVER_KEEP_ALIVE = 0x13;
        static final int AUTHENTICATION_METHOD = 0x15;
        static final int WILL_DELAY = 0x18;
        static final int REASON_STRING = 0x1F;
        static final int RECEIVE_MAXIMUM = 0x21;
        static final int TOPIC_ALIAS_MAXIMUM = 0x22;
        static final int TOPIC_ALIAS = 0x23;
        static final int USER_PROPERTY = 0x26;
        static final int MAXIMUM_PACKET_SIZE = 0x27;

        private final Bytes body = new Bytes();

        Props u8(int id, int v) {
            body.u8(id).u8(v);
            return this;
        }

        Props u16(int id, int v) {
            body.u8(id).u16(v);
            return this;
        }

        Props u32(int id, long v) {
            body.u8(id).u32(v);
            return this;
        }

        Props varint(int id, int v) {
            body.u8(id).varint(v);
            return this;
        }

        Props str(int id, String v) {
            body.u8(id).str(v);
            return this;
        }

        /** A UTF-8 string or Binary Data property given as its bytes: both are a two-byte length and the bytes. */
        Props str(int id, byte[] raw) {
            body.u8(id).rawString(raw);
            return this;
        }

        Props user(String key, String value) {
            body.u8(USER_PROPERTY).str(key).str(value);
            return this;
        }

        Props user(byte[] key, byte[] value) {
            body.u8(USER_PROPERTY).rawString(key).rawString(value);
            return this;
        }

        /** The properties without their length: what a forwarded PUBLISH must carry byte for byte. */
        byte[] content() {
            return body.toArray();
        }

        byte[] encoded() {
            byte[] b = content();
            return new Bytes().varint(b.length).raw(b).toArray();
        }
    }
}
