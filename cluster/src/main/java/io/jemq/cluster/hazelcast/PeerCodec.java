package io.jemq.cluster.hazelcast;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.session.SessionHandOff;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames of the node-to-node link: a length prefix (added here), a type byte, a sequence number (a long, see
 * {@link PeerLink}: 0 for a frame that is not resent), then the body. A message frame
 * carries everything a subscriber sees (topic, QoS, retain, publisher, times, MQTT 5.0 properties, payload) and the
 * share groups the receiver serves it to; a take-over frame asks the receiver to end a client's session (its client
 * connected to the sender) and maybe send it over; a session frame carries that session. The replica of durable
 * sessions ({@link SessionReplicas}) keeps images and deliveries in the same encoding, without the frame.
 * Encoded on the publisher's event loop, decoded on the link's loop.
 */
final class PeerCodec {
    static final byte MESSAGE = 1;
    static final byte TAKE_OVER = 2;
    static final byte SESSION = 3;
    /** First frame on a connection: the sender's node name and epoch; its sequence field is the last one acked. */
    static final byte HELLO = 4;
    /** Receiver to sender, on the same connection: every frame up to the sequence field is accepted. */
    static final byte ACK = 5;
    /** A delivery for one client whose session moved to the receiver (sent by the node it left). */
    static final byte DELIVER = 6;
    /** Where the sequence number sits in a frame, length prefix included. */
    static final int SEQ_AT = 5;
    /** A frame larger than this is refused: well above any MQTT packet the broker accepts. */
    static final int MAX_FRAME = 268_435_455 + 64 * 1024;

    private PeerCodec() {
    }

    /** A message read from a frame, and the share groups the sending node chose this node to serve it to. */
    record Forwarded(Message message, List<String[]> groups) {
    }

    /** @param groups {@code {filter, group}} pairs this node's members take the message for; may be empty */
    static ByteBuf message(ByteBufAllocator alloc, Message m, List<String[]> groups) {
        ByteBuf out = alloc.ioBuffer(72 + m.topicUtf8().length + m.payloadSize());
        header(out, MESSAGE, 0);
        out.writeInt(groups.size());
        for (String[] fg : groups) {
            writeString(out, fg[0]);
            writeString(out, fg[1]);
        }
        writeMessage(out, m);
        return framed(out);
    }

    /** Asks the node holding {@code clientId}'s session to end it, and with {@code resume} to send it to us. */
    static ByteBuf takeOver(ByteBufAllocator alloc, String clientId, boolean resume, String requester) {
        ByteBuf out = alloc.ioBuffer();
        header(out, TAKE_OVER, 0);
        writeString(out, clientId);
        out.writeBoolean(resume);
        writeString(out, requester);
        return framed(out);
    }

    /** A session's state for its new holder: subscriptions, then undelivered messages; null: there was none. */
    static ByteBuf session(ByteBufAllocator alloc, String clientId, SessionHandOff state) {
        ByteBuf out = alloc.ioBuffer();
        header(out, SESSION, 0);
        writeString(out, clientId);
        out.writeBoolean(state != null);
        if (state == null) {
            return framed(out);
        }
        writeSubscriptions(out, state.subscriptions());
        out.writeInt(state.pending().size());
        for (Delivery d : state.pending()) {
            writeDelivery(out, d.message(), d.qos(), d.retainFlag(), d.subscriptionIds());
        }
        return framed(out);
    }

    /** One delivery for {@code clientId}'s session on the receiver. */
    static ByteBuf deliver(ByteBufAllocator alloc, String clientId, Message m, int qos, boolean retainFlag,
                           int[] ids) {
        ByteBuf out = alloc.ioBuffer(96 + m.topicUtf8().length + m.payloadSize());
        header(out, DELIVER, 0);
        writeString(out, clientId);
        writeDelivery(out, m, qos, retainFlag, ids);
        return framed(out);
    }

    private static void writeDelivery(ByteBuf out, Message m, int qos, boolean retainFlag, int[] ids) {
        out.writeByte(qos);
        out.writeBoolean(retainFlag);
        out.writeInt(ids == null ? -1 : ids.length);
        for (int i = 0; ids != null && i < ids.length; i++) {
            out.writeInt(ids[i]);
        }
        writeMessage(out, m);
    }

    /** A delivery's body (after the client id); its message is new. */
    static Delivery readDelivery(ByteBuf in) {
        int qos = in.readByte();
        boolean retainFlag = in.readBoolean();
        int k = in.readInt();
        int[] ids = k < 0 ? null : new int[k];
        for (int j = 0; j < k; j++) {
            ids[j] = in.readInt();
        }
        return new Delivery(readMessage(in), qos, retainFlag, ids);
    }

    /** Opens a connection: who sends on it, which run of sequence numbers, and the last one acked before. */
    static ByteBuf hello(ByteBufAllocator alloc, String node, long epoch, long acked) {
        ByteBuf out = alloc.ioBuffer();
        header(out, HELLO, acked);
        writeString(out, node);
        out.writeLong(epoch);
        return framed(out);
    }

    /** Every frame up to {@code seq} is accepted (routed here, and the store has it). */
    static ByteBuf ack(ByteBufAllocator alloc, long seq) {
        ByteBuf out = alloc.ioBuffer(13);
        header(out, ACK, seq);
        return framed(out);
    }

    private static void header(ByteBuf out, byte type, long seq) {
        out.writeInt(0);
        out.writeByte(type);
        out.writeLong(seq);
    }

    /** A message frame's body (after the type byte and the sequence). */
    static Forwarded readForwarded(ByteBuf in) {
        int n = in.readInt();
        List<String[]> groups = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            groups.add(new String[] {readString(in), readString(in)});
        }
        return new Forwarded(readMessage(in), groups);
    }

    /** A session frame's body (after the client id), null when there was none; the deliveries' messages are new. */
    static SessionHandOff readSession(ByteBuf in) {
        if (!in.readBoolean()) {
            return null;
        }
        Map<TopicFilter, SubOptions> subs = readSubscriptions(in);
        int m = in.readInt();
        List<Delivery> pending = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            pending.add(readDelivery(in));
        }
        return new SessionHandOff(subs, pending);
    }

    /**
     * A durable session's image in the replica: its owner and epoch first (read by {@link ReplicaImageWrite} on the
     * member holding the entry), then its expiry and subscriptions.
     */
    static byte[] image(String owner, long epoch, long expirySeconds, Map<TopicFilter, SubOptions> subscriptions) {
        ByteBuf out = Unpooled.buffer(64 + 32 * subscriptions.size());
        out.writeLong(epoch);
        writeString(out, owner);
        out.writeLong(expirySeconds);
        writeSubscriptions(out, subscriptions);
        return ByteBufUtil.getBytes(out);
    }

    /** The epoch of an image: its first eight bytes. */
    static long imageEpoch(byte[] image) {
        return Unpooled.wrappedBuffer(image).readLong();
    }

    /** A session's image as read back from the replica. */
    record Image(long epoch, String owner, long expirySeconds, Map<TopicFilter, SubOptions> subscriptions) {
    }

    static Image readImage(byte[] image) {
        ByteBuf in = Unpooled.wrappedBuffer(image);
        return new Image(in.readLong(), readString(in), in.readLong(), readSubscriptions(in));
    }

    /** One undelivered message of a durable session, as its replica keeps it. */
    static byte[] delivery(Delivery d) {
        Message m = d.message();
        ByteBuf out = Unpooled.buffer(80 + m.topicUtf8().length + m.payloadSize());
        writeDelivery(out, m, d.qos(), d.retainFlag(), d.subscriptionIds());
        return ByteBufUtil.getBytes(out);
    }

    static Delivery readDelivery(byte[] bytes) {
        return readDelivery(Unpooled.wrappedBuffer(bytes));
    }

    private static void writeSubscriptions(ByteBuf out, Map<TopicFilter, SubOptions> subscriptions) {
        out.writeInt(subscriptions.size());
        subscriptions.forEach((f, o) -> {
            writeString(out, f.filter());
            writeString(out, f.shareGroup());
            out.writeByte(o.qos());
            out.writeBoolean(o.noLocal());
            out.writeBoolean(o.retainAsPublished());
            out.writeByte(o.retainHandling());
            out.writeInt(o.subscriptionId());
        });
    }

    private static Map<TopicFilter, SubOptions> readSubscriptions(ByteBuf in) {
        int n = in.readInt();
        Map<TopicFilter, SubOptions> subs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            TopicFilter f = new TopicFilter(readString(in), readString(in));
            subs.put(f, new SubOptions(in.readByte(), in.readBoolean(), in.readBoolean(), in.readByte(), in.readInt()));
        }
        return subs;
    }

    private static ByteBuf framed(ByteBuf out) {
        out.setInt(0, out.writerIndex() - 4);
        return out;
    }

    private static void writeMessage(ByteBuf out, Message m) {
        writeBytes(out, m.topicUtf8());
        out.writeByte(m.qos());
        out.writeBoolean(m.isRetain());
        writeString(out, m.publisherId());
        out.writeLong(m.createdAtMillis());
        out.writeLong(m.expiresAtMillis());
        writeProperties(out, m.properties());
        ByteBuf payload = m.payload();
        int n = payload.readableBytes();
        out.writeInt(n);
        out.writeBytes(payload, payload.readerIndex(), n);
    }

    /** The message holds a slice of {@code in} for its payload. */
    private static Message readMessage(ByteBuf in) {
        String topic = readString(in);
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        String publisher = readString(in);
        long created = in.readLong();
        long expires = in.readLong();
        MessageProperties props = readProperties(in);
        ByteBuf payload = in.readRetainedSlice(in.readInt());
        return new Message(topic, qos, retain, payload, publisher, created, expires, props);
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
