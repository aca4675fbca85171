package io.jemq.store.memory;

import io.jemq.message.Delivery;
import io.jemq.store.MessageQueue;
import io.jemq.store.Written;

import java.util.ArrayDeque;

/** A session's queue as an {@link ArrayDeque}, made at the first message queued (most sessions never queue). */
final class MemoryQueue implements MessageQueue {
    private static final ArrayDeque<Delivery> NONE = new ArrayDeque<>(0);

    private ArrayDeque<Delivery> deliveries = NONE;          // read only while NONE

    @Override
    public Written add(Delivery d) {
        if (deliveries == NONE) {
            deliveries = new ArrayDeque<>();
        }
        deliveries.add(d);
        return Written.DONE;
    }

    @Override
    public Delivery peek() {
        return deliveries.peek();
    }

    @Override
    public Delivery poll() {
        return deliveries == NONE ? null : deliveries.poll();
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
        deliveries = NONE;
        return Written.DONE;
    }
}
