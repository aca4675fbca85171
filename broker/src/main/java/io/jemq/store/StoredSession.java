package io.jemq.store;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;

import java.util.Map;

/**
 * What is kept of one client's session: its subscriptions, expiry and will, and the containers of its messages
 * (queue, inflight window, QoS 2 receipts). The session's classes work on these directly, so the memory store's
 * objects are the session's own state, and a disk store keeps the same in memory and writes it through.
 *
 * <p>Threads: owned by the session's event loop (it moves with the session on a take-over), except {@link
 * #accept}, which the publish pipeline calls on the publisher's thread.
 */
public interface StoredSession {

    String clientId();

    long createdAtMillis();

    /** Subscriptions by filter, in the order made; read-only view. */
    Map<TopicFilter, SubOptions> subscriptions();

    /** Adds or replaces a subscription. @return the options it replaced, or null when new */
    SubOptions subscribe(TopicFilter filter, SubOptions options);

    /** @return false when there was no such subscription */
    boolean unsubscribe(TopicFilter filter);

    /** Seconds the session outlives its connection: 0 = ends with it, 0xFFFFFFFF = never expires. */
    long expirySeconds();

    Written expirySeconds(long seconds);

    /**
     * The will of a connection that has left and whose 5.0 Will Delay Interval is running (counted from
     * {@link #offlineSinceMillis()}), kept so a broker restarted meanwhile still publishes it; null if none.
     */
    Message will();

    long willDelaySeconds();

    /** Keeps a will (the store takes a reference of its own) or, with null, forgets it. */
    Written will(Message will, long delaySeconds);

    MessageQueue queue();

    InflightWindow inflight();

    Qos2Receipts qos2();

    /** The session ended: everything it held is released and forgotten. */
    Written delete();

    /**
     * The broker stops: what the session holds in memory is released, what is durable stays for the next start. The
     * memory store has nothing durable, so this is {@link #delete()}.
     */
    default Written unload() {
        return delete();
    }

    /**
     * Any thread: the publish pipeline routed {@code d} to this session. A disk store writes it now when the session
     * is persistent (in the calling thread's write unit, see {@link Store#beginUnit()}), so that the publisher's
     * acknowledgement waits until it is durable, and marks the delivery with its key.
     */
    default void accept(Delivery d) {
    }

    /**
     * Owner loop: a delivery accepted before left the session without being acknowledged through the inflight
     * window (dropped, expired, sent at QoS 0): a disk store forgets its copy. Acknowledged ones are forgotten by
     * {@link InflightWindow#remove}.
     */
    default void finished(Delivery d) {
    }

    /** The connection left at {@code millis}: a restarted broker counts the expiry from there. */
    default void offlineSince(long millis) {
    }

    /** When its connection left, as recovered; 0 when it was online or not known. */
    default long offlineSinceMillis() {
        return 0;
    }
}
