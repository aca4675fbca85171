package io.jemq.protocol;

import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Encodes outbound PUBLISH packets straight to bytes, bypassing Netty's MqttEncoder: the topic is encoded once per
 * message ({@link Message#topicUtf8()}), and a payload above {@link #INLINE_LIMIT} is not copied but written as a
 * second buffer sharing the message's ({@code retainedDuplicate}); small payloads are cheaper to copy into the
 * header buffer than to send as a second buffer.
 */
final class PublishEncoder {
    static final int INLINE_LIMIT = 1024;

    private static final int PAYLOAD_FORMAT = 0x01;
    private static final int MESSAGE_EXPIRY = 0x02;
    private static final int CONTENT_TYPE = 0x03;
    private static final int RESPONSE_TOPIC = 0x08;
    private static final int CORRELATION_DATA = 0x09;
    private static final int SUBSCRIPTION_ID = 0x0B;
    private static final int TOPIC_ALIAS = 0x23;
    private static final int USER_PROPERTY = 0x26;

    private PublishEncoder() {
    }

    /** What one outbound PUBLISH carries besides the message. */
    record Header(int qos, boolean dup, boolean retain, int packetId, boolean sendTopic, int topicAlias,
                  int[] subscriptionIds, long remainingExpirySeconds) {
    }

    /** @return the encoded size of the packet, to check against the client's Maximum Packet Size before writing. */
    static int packetSize(Message m, Header h, boolean v5) {
        int remaining = remainingLength(m, h, v5);
        return 1 + varIntSize(remaining) + remaining;
    }

    /**
     * Builds the packet: one buffer for small payloads, or a header buffer followed by the shared payload.
     * @return the buffers to write, in order ({@code second} is null for an inline payload)
     */
    static Encoded encode(ByteBufAllocator alloc, Message m, Header h, boolean v5) {
        int remaining = remainingLength(m, h, v5);
        int payloadSize = m.payloadSize();
        boolean inline = payloadSize <= INLINE_LIMIT;
        int headerSize = 1 + varIntSize(remaining) + remaining - payloadSize;
        ByteBuf buf = alloc.buffer(inline ? headerSize + payloadSize : headerSize);
        buf.writeByte(0x30 | (h.dup() ? 0x08 : 0) | (h.qos() << 1) | (h.retain() ? 0x01 : 0));
        writeVarInt(buf, remaining);
        byte[] topic = h.sendTopic() ? m.topicUtf8() : EMPTY;
        buf.writeShort(topic.length);
        buf.writeBytes(topic);
        if (h.qos() > 0) {
            buf.writeShort(h.packetId());
        }
        if (v5) {
            writeProperties(buf, m.properties(), h);
        }
        if (inline) {
            ByteBuf p = m.payload();
            buf.writeBytes(p, p.readerIndex(), payloadSize);
            return new Encoded(buf, null);
        }
        return new Encoded(buf, m.payload().retainedDuplicate());
    }

    record Encoded(ByteBuf first, ByteBuf second) {
    }

    private static final byte[] EMPTY = new byte[0];

    private static int remainingLength(Message m, Header h, boolean v5) {
        int n = 2 + (h.sendTopic() ? m.topicUtf8().length : 0) + (h.qos() > 0 ? 2 : 0) + m.payloadSize();
        if (v5) {
            int props = propertiesLength(m.properties(), h);
            n += varIntSize(props) + props;
        }
        return n;
    }

    private static int propertiesLength(MessageProperties p, Header h) {
        int n = 0;
        if (p.payloadFormat() != null) {
            n += 2;
        }
        if (h.remainingExpirySeconds() > 0) {
            n += 5;
        }
        if (p.contentType() != null) {
            n += 3 + ByteBufUtil.utf8Bytes(p.contentType());
        }
        if (p.responseTopic() != null) {
            n += 3 + ByteBufUtil.utf8Bytes(p.responseTopic());
        }
        if (p.correlationData() != null) {
            n += 3 + p.correlationData().length;
        }
        for (int id : h.subscriptionIds()) {
            n += 1 + varIntSize(id);
        }
        if (h.topicAlias() > 0) {
            n += 3;
        }
        for (UserProperty u : p.userProperties()) {
            n += 5 + ByteBufUtil.utf8Bytes(u.key()) + ByteBufUtil.utf8Bytes(u.value());
        }
        return n;
    }

    private static void writeProperties(ByteBuf buf, MessageProperties p, Header h) {
        writeVarInt(buf, propertiesLength(p, h));
        if (p.payloadFormat() != null) {
            buf.writeByte(PAYLOAD_FORMAT).writeByte(p.payloadFormat());
        }
        if (h.remainingExpirySeconds() > 0) {
            buf.writeByte(MESSAGE_EXPIRY).writeInt((int) h.remainingExpirySeconds());
        }
        if (p.contentType() != null) {
            buf.writeByte(CONTENT_TYPE);
            writeString(buf, p.contentType());
        }
        if (p.responseTopic() != null) {
            buf.writeByte(RESPONSE_TOPIC);
            writeString(buf, p.responseTopic());
        }
        if (p.correlationData() != null) {
            buf.writeByte(CORRELATION_DATA).writeShort(p.correlationData().length).writeBytes(p.correlationData());
        }
        for (int id : h.subscriptionIds()) {
            buf.writeByte(SUBSCRIPTION_ID);
            writeVarInt(buf, id);
        }
        if (h.topicAlias() > 0) {
            buf.writeByte(TOPIC_ALIAS).writeShort(h.topicAlias());
        }
        for (UserProperty u : p.userProperties()) {
            buf.writeByte(USER_PROPERTY);
            writeString(buf, u.key());
            writeString(buf, u.value());
        }
    }

    private static void writeString(ByteBuf buf, String s) {
        int lengthIndex = buf.writerIndex();
        buf.writeShort(0);
        int written = ByteBufUtil.writeUtf8(buf, s);
        buf.setShort(lengthIndex, written);
    }

    static int varIntSize(int value) {
        int n = 1;
        while (value >= 128) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    static void writeVarInt(ByteBuf buf, int value) {
        do {
            int digit = value & 0x7F;
            value >>>= 7;
            buf.writeByte(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }
}
