package io.jemq.codec;

import io.netty.buffer.ByteBuf;

/**
 * Walks one complete packet, as {@link PacketFramer} cut it out of the stream, and says what is wrong with it before
 * Netty's MqttDecoder sees it. Netty's decoder trusts every length field: a topic or filter longer than its packet
 * makes it read on into the next packet, and it decodes ill-formed UTF-8 into U+FFFD instead of refusing it. Here
 * every length is checked against the packet's own remaining length, every UTF-8 string field (topics, filters,
 * client id, username, will topic, 5.0 string properties) against {@link MqttStrings}, and fixed-size packets
 * against their size. What this accepts, the decoder decodes within the packet's bounds.
 *
 * <p>The protocol version comes from the connection's CONNECT, which this sees first. One instance per connection,
 * used on its event loop only.
 */
final class PacketCheck {
    private static final int CONNECT = 1;
    private static final int CONNACK = 2;
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int PUBCOMP = 7;
    private static final int SUBSCRIBE = 8;
    private static final int SUBACK = 9;
    private static final int UNSUBSCRIBE = 10;
    private static final int UNSUBACK = 11;
    private static final int PINGREQ = 12;
    private static final int PINGRESP = 13;
    private static final int DISCONNECT = 14;
    private static final int AUTH = 15;

    private int protocolLevel = 4;
    private ByteBuf buf;
    private int pos;
    private int end;

    /** What was wrong, for the log; thrown only on bad input, so it carries no stack trace. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Checks the packet at {@code buf[start, start + headerLength + remainingLength)}.
     *
     * @throws Malformed saying what is wrong
     */
    void check(ByteBuf packet, int start, int headerLength, int remainingLength) throws Malformed {
        buf = packet;
        pos = start + headerLength;
        end = pos + remainingLength;
        int first = packet.getByte(start) & 0xFF;
        int type = first >> 4;
        try {
            switch (type) {
                case CONNECT -> connect();
                case PUBLISH -> publish((first >> 1) & 0x03);
                case SUBSCRIBE -> subscribe();
                case UNSUBSCRIBE -> unsubscribe();
                case PINGREQ -> end("PINGREQ");
                case DISCONNECT, AUTH -> reasonAndProperties(type == AUTH ? "AUTH" : "DISCONNECT");
                // Packets only a server sends: the connection refuses them, but the decoder reads them first, and
                // one shorter or longer than its fields would make it read into the next packet or leave bytes.
                case CONNACK -> connack();
                case SUBACK, UNSUBACK -> acknowledgementOfSubscription();
                case PINGRESP -> end("PINGRESP");
                default -> {
                    if (type >= PUBACK && type <= PUBCOMP) {
                        pubReply();
                    }
                    // type 0 is reserved: the decoder fails on it
                }
            }
        } finally {
            buf = null;
        }
    }

    private boolean v5() {
        return protocolLevel == 5;
    }

    private void connect() throws Malformed {
        int nameLength = u16("protocol name length");
        need(nameLength, "protocol name");
        pos += nameLength;
        int level = u8("protocol level");
        if (level < 3 || level > 5) {
            return;                                  // the decoder answers CONNACK 0x01 (unacceptable version)
        }
        protocolLevel = level;
        int flags = u8("connect flags");
        u16("keep alive");
        if (v5()) {
            properties("CONNECT properties");
        }
        string("client identifier");
        if ((flags & 0x04) != 0) {
            if (v5()) {
                properties("will properties");
            }
            string("will topic");
            binary("will payload");
        }
        if ((flags & 0x80) != 0) {
            string("user name");
        }
        if ((flags & 0x40) != 0) {
            binary("password");
        }
        end("CONNECT");
    }

    private void publish(int qos) throws Malformed {
        string("topic name");
        if (qos > 0) {
            u16("packet identifier");
        }
        if (v5()) {
            properties("PUBLISH properties");
        }
        // the rest is the payload
    }

    private void pubReply() throws Malformed {
        u16("packet identifier");
        if (v5() && pos < end) {
            u8("reason code");
            if (pos < end) {
                properties("acknowledgement properties");
            }
        }
        end("acknowledgement");
    }

    private void connack() throws Malformed {
        u8("acknowledge flags");
        u8("return code");
        if (v5()) {
            properties("CONNACK properties");
        }
        end("CONNACK");
    }

    /** SUBACK or UNSUBACK: a packet identifier, 5.0 properties, then return codes (one byte each). */
    private void acknowledgementOfSubscription() throws Malformed {
        u16("packet identifier");
        if (v5()) {
            properties("acknowledgement properties");
        }
    }

    private void subscribe() throws Malformed {
        u16("packet identifier");
        if (v5()) {
            properties("SUBSCRIBE properties");
        }
        while (pos < end) {
            string("topic filter");
            u8("subscription options");
        }
    }

    private void unsubscribe() throws Malformed {
        u16("packet identifier");
        if (v5()) {
            properties("UNSUBSCRIBE properties");
        }
        while (pos < end) {
            string("topic filter");
        }
    }

    private void reasonAndProperties(String packet) throws Malformed {
        if (v5() && pos < end) {
            u8("reason code");
            if (pos < end) {
                properties(packet + " properties");
            }
        }
        end(packet);
    }

    /** A 5.0 property list: its length within the packet, each property known and of its type's size. */
    private void properties(String what) throws Malformed {
        int length = varInt(what + " length");
        need(length, what);
        int outerEnd = end;
        end = pos + length;
        while (pos < end) {
            int id = varInt("property identifier");
            switch (id) {
                case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A -> u8("property 0x" + Integer.toHexString(id));
                case 0x13, 0x21, 0x22, 0x23 -> u16("property 0x" + Integer.toHexString(id));
                case 0x02, 0x11, 0x18, 0x27 -> {
                    need(4, "property 0x" + Integer.toHexString(id));
                    pos += 4;
                }
                case 0x0B -> varInt("subscription identifier");
                case 0x03 -> string("content type");
                case 0x08 -> string("response topic");
                case 0x12 -> string("assigned client identifier");
                case 0x15 -> string("authentication method");
                case 0x1A -> string("response information");
                case 0x1C -> string("server reference");
                case 0x1F -> string("reason string");
                case 0x09, 0x16 -> binary("property 0x" + Integer.toHexString(id));
                case 0x26 -> {
                    string("user property name");
                    string("user property value");
                }
                default -> throw new Malformed("unknown property identifier 0x" + Integer.toHexString(id));
            }
        }
        end = outerEnd;
    }

    private void string(String what) throws Malformed {
        int length = u16(what + " length");
        need(length, what);
        if (!MqttStrings.isWellFormed(buf, pos, length)) {
            throw new Malformed(what + " is not well-formed UTF-8 or contains U+0000");
        }
        pos += length;
    }

    private void binary(String what) throws Malformed {
        int length = u16(what + " length");
        need(length, what);
        pos += length;
    }

    private int u8(String what) throws Malformed {
        need(1, what);
        return buf.getByte(pos++) & 0xFF;
    }

    private int u16(String what) throws Malformed {
        need(2, what);
        int v = buf.getUnsignedShort(pos);
        pos += 2;
        return v;
    }

    private int varInt(String what) throws Malformed {
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            int b = u8(what);
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && shift > 0) {
                    // [MQTT-1.5.5-1] the shortest form only: Netty's decoder counts the bytes of a longer one
                    // differently (82 00 as a properties length made it read past the packet)
                    throw new Malformed(what + ": variable byte integer not in its shortest form");
                }
                return value;
            }
        }
        throw new Malformed(what + ": variable byte integer longer than four bytes");
    }

    private void need(int bytes, String what) throws Malformed {
        if (end - pos < bytes) {
            throw new Malformed(what + " runs past the end of its packet (" + bytes + " bytes wanted, "
                    + (end - pos) + " left)");
        }
    }

    private void end(String packet) throws Malformed {
        if (pos != end) {
            throw new Malformed(packet + " has " + (end - pos) + " bytes after its last field");
        }
    }
}
