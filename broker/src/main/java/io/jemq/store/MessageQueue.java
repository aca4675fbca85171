package io.jemq.store;

import io.jemq.message.Delivery;

/**
 * The deliveries waiting for one session, oldest first: what it has not yet taken into its inflight window (client
 * offline, window full, socket not writable). Only the order and the content are the store's business; limits,
 * byte accounting and the drop policy are the session's.
 *
 * <p>Threads: owned by the session's event loop; never called from anywhere else. The queue owns the reference of
 * each delivery added until it is polled (the poller owns it then) or the queue is cleared (released).
 */
public interface MessageQueue {

    /** Appends; takes the delivery's reference. */
    Written add(Delivery d);

    /** The oldest delivery, left in place; null when empty. */
    Delivery peek();

    /** Takes the oldest delivery out (the caller owns its reference now); null when empty. */
    Delivery poll();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** Releases every delivery still queued: the session ended. */
    Written clear();
}
