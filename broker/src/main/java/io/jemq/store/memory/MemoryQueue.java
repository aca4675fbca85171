package io.jemq.store.memory;

import io.jemq.message.Delivery;
import io.jemq.store.MessageQueue;
import io.jemq.store.Written;

import java.util.ArrayDeque;

/** A session's queue as an {@link ArrayDeque}. */
final class MemoryQueue implements MessageQueue {
    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();

    @Override
    public Written add(Delivery d) {
        deliveries.add(d);
        return Written.DONE;
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
