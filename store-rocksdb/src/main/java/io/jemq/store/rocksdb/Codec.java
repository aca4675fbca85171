package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.message.Message.MessageProperties;
import io.jemq.message.Message.UserProperty;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values the disk store writes: messages, deliveries and sessions, in a small versioned binary form (each starts
 * with a format byte, so a later version can read what an older one wrote). Reading a record that is not one is a
 * {@link StoreCorruptException}: the store is never guessed at.
 */
final class Codec {
    private static final int FORMAT = 1;

    private Codec() {
    }

    /** What a session record holds besides its queue and inflight messages. */
    record SessionRecord(long createdAtMillis, long expirySeconds, long offlineSinceMillis,
                         Map<TopicFilter, SubOptions> subscriptions) {
    }

    /**
     * A delivery's record, written straight into an array of its exact size: byte for byte what the stream form
     * below reads ({@link DataOutputStream#writeUTF} is modified UTF-8), without the stream, its buffer and the
     * final copy. It runs for every message routed to a persistent session, on the publisher's loop.
     */
    static byte[] delivery(Delivery d) {
        Message m = d.message();
        if (!m.properties().isEmpty()) {
            return deliveryByStream(d);
        }
        int[] ids = d.subscriptionIds();
        String publisher = m.publisherId();
        byte[] topic = m.topicUtf8();
        boolean sameInModifiedUtf8 = sameInModifiedUtf8(topic);
        int topicLength = sameInModifiedUtf8 ? topic.length : utfLength(m.topic());
        int publisherLength = publisher == null ? 0 : utfLength(publisher);
        int payload = m.payloadSize();
        int size = 5 + 4 * ids.length + 2 + topicLength + 3 + (publisher == null ? 0 : 2 + publisherLength) + 17 + 4
                + payload;
        byte[] out = new byte[size];
        out[0] = FORMAT;
        out[1] = (byte) d.qos();
        out[2] = (byte) (d.retainFlag() ? 1 : 0);
        int at = putShort(out, 3, ids.length);
        for (int id : ids) {
            at = putInt(out, at, id);
        }
        if (sameInModifiedUtf8) {
            at = putShort(out, at, topicLength);
            System.arraycopy(topic, 0, out, at, topicLength);
            at += topicLength;
        } else {
            at = putUtf(out, at, m.topic(), topicLength);
        }
        out[at++] = (byte) m.qos();
        out[at++] = (byte) (m.isRetain() ? 1 : 0);
        out[at++] = (byte) (publisher == null ? 0 : 1);
        if (publisher != null) {
            at = putUtf(out, at, publisher, publisherLength);
        }
        at = putLong(out, at, m.createdAtMillis());
        at = putLong(out, at, m.expiresAtMillis());
        out[at++] = 0;                               // no 5.0 properties
        at = putInt(out, at, payload);
        m.payload().getBytes(m.payload().readerIndex(), out, at, payload);
        return out;
    }

    private static byte[] deliveryByStream(Delivery d) {
        Message m = d.message();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.payloadSize() + m.topicUtf8().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(d.qos());
            out.writeBoolean(d.retainFlag());
            out.writeShort(d.subscriptionIds().length);
            for (int id : d.subscriptionIds()) {
                out.writeInt(id);
            }
            writeMessage(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Whether these UTF-8 bytes are also the string's modified UTF-8: they are unless the string holds U+0000 or a
     * character outside the BMP (4-byte sequences, which modified UTF-8 writes as two 3-byte surrogates). The
     * message keeps its topic's UTF-8, so the common topic is copied instead of encoded again.
     */
    private static boolean sameInModifiedUtf8(byte[] utf8) {
        if (utf8.length > 65535) {
            return false;                                // utfLength refuses it with a clear message
        }
        for (byte b : utf8) {
            if (b == 0 || (b & 0xFF) >= 0xF0) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of {@code s} in modified UTF-8, as {@link DataOutputStream#writeUTF} writes it. */
    private static int utfLength(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                n += 2;
            } else if (c >= 0x80 || c == 0) {
                n += 1;
            }
        }
        if (n > 65535) {
            throw new UncheckedIOException(new IOException("string too long for a record: " + n + " bytes"));
        }
        return n;
    }

    private static int putUtf(byte[] out, int at, String s, int length) {
        at = putShort(out, at, length);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0 && c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6 & 0x1F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else {
                out[at++] = (byte) (0xE0 | c >> 12 & 0x0F);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }

    private static int putShort(byte[] out, int at, int v) {
        out[at] = (byte) (v >> 8);
        out[at + 1] = (byte) v;
        return at + 2;
    }

    private static int putInt(byte[] out, int at, int v) {
        return putShort(out, putShort(out, at, v >>> 16), v);
    }

    private static int putLong(byte[] out, int at, long v) {
        return putInt(out, putInt(out, at, (int) (v >>> 32)), (int) v);
    }

    static Delivery delivery(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            format(in);
            int qos = in.readByte();
            boolean retainFlag = in.readBoolean();
            int[] ids = new int[in.readShort()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.readInt();
            }
            return new Delivery(readMessage(in), qos, retainFlag, ids);
        } catch (IOException | RuntimeException e) {
            throw new StoreCorruptException("a queued message cannot be read: " + e, e);
        }
    }

    static byte[] message(Message m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.payloadSize() + m.topicUtf8().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writeMessage(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Message message(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            format(in);
            return readMessage(in);
        } catch (IOException | RuntimeException e) {
            throw new StoreCorruptException("a retained message cannot be read: " + e, e);
        }
    }

    /** A will waiting for its delay: the delay in seconds, then the message. */
    static byte[] will(Message m, long delaySeconds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.payloadSize() + m.topicUtf8().length + 72);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(delaySeconds);
            writeMessage(out, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    record WillRecord(Message message, long delaySeconds) {
    }

    static WillRecord will(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            format(in);
            long delay = in.readLong();
            return new WillRecord(readMessage(in), delay);
        } catch (IOException | RuntimeException e) {
            throw new StoreCorruptException("a will cannot be read: " + e, e);
        }
    }

    static byte[] session(SessionRecord s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * s.subscriptions().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(s.createdAtMillis());
            out.writeLong(s.expirySeconds());
            out.writeLong(s.offlineSinceMillis());
            out.writeInt(s.subscriptions().size());
            for (Map.Entry<TopicFilter, SubOptions> e : s.subscriptions().entrySet()) {
                out.writeUTF(e.getKey().filter());
                writeNullable(out, e.getKey().shareGroup());
                SubOptions o = e.getValue();
                out.writeByte(o.qos());
                out.writeBoolean(o.noLocal());
                out.writeBoolean(o.retainAsPublished());
                out.writeByte(o.retainHandling());
                out.writeInt(o.subscriptionId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static SessionRecord session(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            format(in);
            long created = in.readLong();
            long expiry = in.readLong();
            long offline = in.readLong();
            int n = in.readInt();
            Map<TopicFilter, SubOptions> subs = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                TopicFilter f = new TopicFilter(in.readUTF(), readNullable(in));
                subs.put(f, new SubOptions(in.readByte(), in.readBoolean(), in.readBoolean(), in.readByte(),
                        in.readInt()));
            }
            return new SessionRecord(created, expiry, offline, subs);
        } catch (IOException | RuntimeException e) {
            throw new StoreCorruptException("a session cannot be read: " + e, e);
        }
    }

    /** Packet id and stage of a QoS 2 message in flight. */
    static byte[] inflight(int packetId, boolean released) {
        return new byte[] {(byte) (packetId >> 8), (byte) packetId, (byte) (released ? 1 : 0)};
    }

    private static void format(DataInputStream in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown record format " + format);
        }
    }

    private static void writeMessage(DataOutputStream out, Message m) throws IOException {
        out.writeUTF(m.topic());
        out.writeByte(m.qos());
        out.writeBoolean(m.isRetain());
        writeNullable(out, m.publisherId());
        out.writeLong(m.createdAtMillis());
        out.writeLong(m.expiresAtMillis());
        MessageProperties p = m.properties();
        out.writeBoolean(!p.isEmpty());
        if (!p.isEmpty()) {
            out.writeInt(p.payloadFormat() == null ? -1 : p.payloadFormat());
            writeNullable(out, p.contentType());
            writeNullable(out, p.responseTopic());
            out.writeInt(p.correlationData() == null ? -1 : p.correlationData().length);
            if (p.correlationData() != null) {
                out.write(p.correlationData());
            }
            out.writeShort(p.userProperties().size());
            for (UserProperty u : p.userProperties()) {
                out.writeUTF(u.key());
                out.writeUTF(u.value());
            }
        }
        out.writeInt(m.payloadSize());
        m.payload().getBytes(m.payload().readerIndex(), out, m.payloadSize());
    }

    private static Message readMessage(DataInputStream in) throws IOException {
        String topic = in.readUTF();
        int qos = in.readByte();
        boolean retain = in.readBoolean();
        String publisher = readNullable(in);
        long created = in.readLong();
        long expires = in.readLong();
        MessageProperties props = MessageProperties.NONE;
        if (in.readBoolean()) {
            int format = in.readInt();
            String contentType = readNullable(in);
            String responseTopic = readNullable(in);
            int correlationLength = in.readInt();
            byte[] correlation = correlationLength < 0 ? null : in.readNBytes(correlationLength);
            int n = in.readShort();
            List<UserProperty> users = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                users.add(new UserProperty(in.readUTF(), in.readUTF()));
            }
            props = new MessageProperties(format < 0 ? null : format, contentType, responseTopic, correlation,
                    List.copyOf(users));
        }
        int length = in.readInt();
        byte[] payload = in.readNBytes(length);
        if (payload.length != length) {
            throw new IOException("payload cut short");
        }
        return new Message(topic, qos, retain, Unpooled.wrappedBuffer(payload), publisher, created, expires, props);
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
