package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.store.MessageQueue;
import io.jemq.store.Written;

import java.util.ArrayDeque;

/**
 * A session's queue in memory; on disk each message already has its record from when it was routed here
 * ({@link DiskSession#accept}), which stays until the message is acknowledged or dropped. A delivery without a record
 * (a retained message sent on SUBSCRIBE) gets one when queued. Clearing releases memory only: what is on disk is
 * deleted with the session or kept for the next start. Owner loop only.
 */
final class DiskQueue implements MessageQueue {
    private final DiskSession session;
    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();

    DiskQueue(DiskSession session) {
        this.session = session;
    }

    @Override
    public Written add(Delivery d) {
        deliveries.add(d);
        if (session.persistent() && d.storeKey() == 0) {
            return session.write(d);
        }
        return Written.DONE;
    }

    /** A message read back at start, oldest first. */
    void restore(Delivery d) {
        deliveries.add(d);
    }

    @Override
    public Delivery peek() {
        return deliveries.peek();
    }

    @Override
    public Delivery poll() {
        return deliveries.poll();
    }

    @Override
    public int size() {
        return deliveries.size();
    }

    @Override
    public boolean isEmpty() {
        return deliveries.isEmpty();
    }

    @Override
    public Written clear() {
        Delivery d;
        while ((d = deliveries.poll()) != null) {
            d.release();
        }
        return Written.DONE;
    }
}
