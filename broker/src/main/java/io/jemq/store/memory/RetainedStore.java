package io.jemq.store.memory;

import io.jemq.store.Put;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retained messages by topic name. Thread-safe: reads and replacing the message of a known topic take no lock; adding
 * or removing a topic takes one, as it changes the topic index. Values are opaque: the broker stores its message
 * objects and releases whatever {@link #put} or {@link #remove} hands back.
 */
public final class RetainedStore<V> {

    private final long maxMessages;
    private final ConcurrentHashMap<String, V> values = new ConcurrentHashMap<>();
    private final TopicIndex index = new TopicIndex();
    private final ReentrantLock lock = new ReentrantLock();

    /** @param maxMessages most topics kept ({@code retainer.max_message_num}); 0 = unlimited */
    public RetainedStore(long maxMessages) {
        if (maxMessages < 0) {
            throw new IllegalArgumentException("maxMessages must be >= 0, got " + maxMessages);
        }
        this.maxMessages = maxMessages;
    }

    /**
     * Stores or replaces the retained message of {@code topic}. Replacing is always allowed; a new topic is refused
     * ({@code stored() == false}) when the store already holds {@code maxMessages}.
     */
    public Put<V> put(String topic, V value) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        V previous = values.replace(topic, value);
        if (previous != null) {
            return Put.stored(previous);
        }
        lock.lock();
        try {
            // new topics are only added under the lock, so this check and the put below cannot be overtaken
            if (!values.containsKey(topic)) {
                if (maxMessages > 0 && values.size() >= maxMessages) {
                    return Put.rejected();
                }
                index.add(topic);
            }
            return Put.stored(values.put(topic, value));
        } finally {
            lock.unlock();
        }
    }

    /** Clears the topic's retained message (an empty retained payload); returns the removed value or null. */
    public V remove(String topic) {
        lock.lock();
        try {
            V removed = values.remove(topic);
            if (removed != null) {
                index.remove(topic);
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    public V get(String topic) {
        return values.get(topic);
    }

    /** Calls {@code each} with the message of every retained topic the (valid, unshared) filter matches. */
    public void match(String filter, Consumer<V> each) {
        index.match(filter, topic -> {
            V value = values.get(topic);
            if (value != null) { // removed since the index walk saw it
                each.accept(value);
            }
        });
    }

    public int size() {
        return values.size();
    }

    /** Every topic and message, for expiry sweeps and shutdown; weakly consistent under concurrent changes. */
    public void forEach(BiConsumer<String, V> each) {
        values.forEach(each);
    }

    /** Index nodes in use, to check that removing topics gives memory back. */
    int indexNodeCount() {
        lock.lock();
        try {
            return index.nodeCount();
        } finally {
            lock.unlock();
        }
    }
}
