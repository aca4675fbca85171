package io.jemq.message;

import io.jemq.api.PublishedMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One application message on its way through the broker: what a PUBLISH (or a will) carried, minus everything that
 * is per-connection (packet id, DUP, topic alias, subscription ids).
 *
 * <p>The payload is reference counted: the publisher's connection creates the message holding the decoder's slice
 * and releases it once routed; every holder that keeps it longer (inflight window, offline queue, retained store)
 * calls {@link #retain()} and later {@link #release()}. Deliveries share the payload with
 * {@code payload().retainedDuplicate()}; it is never copied per subscriber.
 */
public final class Message extends AbstractReferenceCounted implements PublishedMessage {
    private final String topic;
    private final byte[] topicUtf8;
    private final int qos;
    private final boolean retain;
    private final ByteBuf payload;
    private final String publisherId;
    private final long createdAtMillis;
    private final long expiresAtMillis;
    private final MessageProperties properties;
    /** The shared copy {@link #forQueue()} made; released with this message. */
    private volatile Message detached;
    private static final VarHandle DETACHED;

    static {
        try {
            DETACHED = MethodHandles.lookup().findVarHandle(Message.class, "detached", Message.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public Message(String topic, int qos, boolean retain, ByteBuf payload, String publisherId,
                   long createdAtMillis, long expiresAtMillis, MessageProperties properties) {
        this(topic, topic.getBytes(StandardCharsets.UTF_8), qos, retain, payload, publisherId, createdAtMillis,
                expiresAtMillis, properties);
    }

    /** For copies: the topic's encoding is immutable and shared. */
    private Message(String topic, byte[] topicUtf8, int qos, boolean retain, ByteBuf payload, String publisherId,
                    long createdAtMillis, long expiresAtMillis, MessageProperties properties) {
        this.topic = topic;
        this.topicUtf8 = topicUtf8;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.publisherId = publisherId;
        this.createdAtMillis = createdAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.properties = properties == null ? MessageProperties.NONE : properties;
    }

    public String topic() {
        return topic;
    }

    /** The topic encoded once, for every subscriber's PUBLISH header. */
    public byte[] topicUtf8() {
        return topicUtf8;
    }

    public int qos() {
        return qos;
    }

    /** The PUBLISH's retain flag. */
    public boolean isRetain() {
        return retain;
    }

    public ByteBuf payload() {
        return payload;
    }

    @Override
    public byte[] payloadBytes() {
        return ByteBufUtil.getBytes(payload);
    }

    @Override
    public int payloadSize() {
        return payload.readableBytes();
    }

    public String publisherId() {
        return publisherId;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** Zero when the message never expires (no 5.0 Message Expiry Interval). */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
    }

    public MessageProperties properties() {
        return properties;
    }

    /**
     * A copy whose payload is an exact-size heap buffer: for messages kept for long (retained store, offline queue),
     * so they don't pin the decoder's larger read buffer.
     */
    public Message detachedCopy() {
        ByteBuf copy = io.netty.buffer.Unpooled.copiedBuffer(payload);
        return new Message(topic, topicUtf8, qos, retain, copy, publisherId, createdAtMillis, expiresAtMillis,
                properties);
    }

    /**
     * This message in a form fit to wait in a queue, with one reference for the caller: this one when its payload
     * is a buffer of its own, else a detached copy made once and shared by every queue that asks (a message routed
     * to many offline sessions is copied once, not once per session). Callers hold a reference to this message, so
     * it cannot be deallocated meanwhile; the copy is released with it.
     */
    public Message forQueue() {
        if (payload.unwrap() == null && payload.capacity() == payload.readableBytes()) {
            return retain();
        }
        Message kept = detached;
        if (kept == null) {
            Message copy = detachedCopy();
            kept = DETACHED.compareAndSet(this, null, copy) ? copy : detached;
            if (kept != copy) {
                copy.release();                  // another queue's copy won the race
            }
        }
        return kept.retain();
    }

    @Override
    public Message retain() {
        super.retain();
        return this;
    }

    @Override
    public Message touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        payload.release();
        Message kept = detached;
        if (kept != null) {
            kept.release();
        }
    }

    @Override
    public String toString() {
        return "Message(" + topic + ", qos=" + qos + ", retain=" + retain + ", " + payload.readableBytes() + " bytes)";
    }

    /** Releases a message that may be null: tidy call sites on error paths. */
    public static void releaseQuietly(ReferenceCounted m) {
        if (m != null && m.refCnt() > 0) {
            m.release();
        }
    }

    /** A user property pair (MQTT 5.0). */
    public record UserProperty(String key, String value) {
    }

    /**
     * The MQTT 5.0 properties that travel with the message to subscribers: payload format, content type,
     * response topic, correlation data and user properties. Immutable; {@link #NONE} for 3.1.1 traffic.
     */
    public record MessageProperties(Integer payloadFormat, String contentType, String responseTopic,
                                    byte[] correlationData, List<UserProperty> userProperties) {
        public static final MessageProperties NONE = new MessageProperties(null, null, null, null, List.of());

        public boolean isEmpty() {
            return payloadFormat == null && contentType == null && responseTopic == null && correlationData == null
                    && userProperties.isEmpty();
        }
    }
}
