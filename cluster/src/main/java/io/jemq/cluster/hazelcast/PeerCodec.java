package io.jemq.cluster.hazelcast;

import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of the node-to-node link: a length prefix (added here), a type byte, then the body. A message frame
 * carries everything a subscriber sees (topic, QoS, retain, publisher, times, MQTT 5.0 properties, payload); a kick
 * frame names a client id whose connection the receiving node must close (its client connected elsewhere).
 * Encoded on the publisher's event loop, decoded on the link's loop.
 */
final class PeerCodec {
    static final byte MESSAGE = 1;
    static final byte KICK = 2;
    /** A frame larger than this is refused: well above any MQTT packet the broker accepts. */
    static final int MAX_FRAME = 268_435_455 + 64 * 1024;

    private PeerCodec() {
    }

    /** A message read from a frame, and the share groups the sending node chose this node to serve it to. */
    record Forwarded(Message message, List<String[]> groups) {
    }

    /** @param groups {@code {filter, group}} pairs this node's members take the message for; may be empty */
    static ByteBuf message(ByteBufAllocator alloc, Message m, List<String[]> groups) {
        ByteBuf payload = m.payload();
        int n = payload.readableBytes();
        ByteBuf out = alloc.ioBuffer(64 + m.topicUtf8().length + n);
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(MESSAGE);
        writeBytes(out, m.topicUtf8());
        out.writeByte(m.qos());
        out.writeBoolean(m.isRetain());
        writeString(out, m.publisherId());
        out.writeLong(m.createdAtMillis());
        out.writeLong(m.expiresAtMillis());
        writeProperties(out, m.properties());
        out.writeInt(groups.size());
        for (String[] fg : groups) {
            writeString(out, fg[0]);
            writeString(out, fg[1]);
        }
        out.writeBytes(payload, payload.readerIndex(), n);
        out.setInt(start, out.writerIndex() - start - 4);
        return out;
    }

    static ByteBuf kick(ByteBufAllocator alloc, String clientId) {
        ByteBuf out = alloc.ioBuffer();
        out.writeInt(0);
        out.writeByte(KICK);
        writeString(out, clientId);
        out.setInt(0, out.writerIndex() - 4);
        return out;
    }

    /** A message frame's body (after the type byte); the message holds a slice of {@code in} for its payload. */
    static Forwarded readMessage(ByteBuf in) {
        String topic = readString(in);
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        String publisher = readString(in);
        long created = in.readLong();
        long expires = in.readLong();
        MessageProperties props = readProperties(in);
        int n = in.readInt();
        List<String[]> groups = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            groups.add(new String[] {readString(in), readString(in)});
        }
        ByteBuf payload = in.readRetainedSlice(in.readableBytes());
        return new Forwarded(new Message(topic, qos, retain, payload, publisher, created, expires, props), groups);
    }

    static String readString(ByteBuf in) {
        int len = in.readInt();
        if (len < 0) {
            return null;
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    private static void writeProperties(ByteBuf out, MessageProperties p) {
        if (p.isEmpty()) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        out.writeInt(p.payloadFormat() == null ? -1 : p.payloadFormat());
        writeString(out, p.contentType());
        writeString(out, p.responseTopic());
        writeBytes(out, p.correlationData());
        out.writeInt(p.userProperties().size());
        for (UserProperty u : p.userProperties()) {
            writeString(out, u.key());
            writeString(out, u.value());
        }
    }

    private static MessageProperties readProperties(ByteBuf in) {
        if (!in.readBoolean()) {
            return MessageProperties.NONE;
        }
        int format = in.readInt();
        String contentType = readString(in);
        String responseTopic = readString(in);
        int len = in.readInt();
        byte[] correlation = null;
        if (len >= 0) {
            correlation = new byte[len];
            in.readBytes(correlation);
        }
        int n = in.readInt();
        List<UserProperty> user = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            user.add(new UserProperty(readString(in), readString(in)));
        }
        return new MessageProperties(format < 0 ? null : format, contentType, responseTopic, correlation,
                List.copyOf(user));
    }

    private static void writeString(ByteBuf out, String s) {
        writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteBuf out, byte[] b) {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.writeBytes(b);
    }
}
