package io.jemq.store;

/**
 * Inbound QoS 2 packet ids a session has routed and awaits PUBREL for (MQTT 4.3.3): a resend of such an id must not
 * be routed twice. The PUBREC for a new id goes out once {@link #receive} is durable.
 *
 * <p>Threads: owned by the session's event loop.
 */
public interface Qos2Receipts {

    /** Whether the id was received and not yet released. */
    boolean awaitsRelease(int packetId);

    /** Records a new id; the caller checked {@link #awaitsRelease} first. */
    Written receive(int packetId, long nowNanos);

    /** PUBREL arrived. @return false when the id was not awaiting release */
    boolean release(int packetId);

    /** Forgets ids received {@code timeoutNanos} or longer ago (mqtt.session.await_rel_timeout). */
    void expire(long nowNanos, long timeoutNanos);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    void clear();
}
