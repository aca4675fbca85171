package io.jemq.store.memory;

import io.jemq.message.Message;
import io.jemq.store.Put;
import io.jemq.store.RetainedMessages;
import io.jemq.store.Written;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Retained messages in a {@link RetainedStore}: lock-free reads, a topic index for matching filters. */
final class MemoryRetained implements RetainedMessages {
    private final RetainedStore<Message> store;

    MemoryRetained(long maxMessages) {
        this.store = new RetainedStore<>(maxMessages);
    }

    @Override
    public Put<Message> put(String topic, Message message) {
        return store.put(topic, message);
    }

    @Override
    public Message remove(String topic) {
        return store.remove(topic);
    }

    @Override
    public Message get(String topic) {
        return store.get(topic);
    }

    @Override
    public void match(String filter, Consumer<Message> each) {
        store.match(filter, each);
    }

    @Override
    public int size() {
        return store.size();
    }

    @Override
    public void forEach(BiConsumer<String, Message> each) {
        store.forEach(each);
    }

    @Override
    public Written durable() {
        return Written.DONE;
    }
}
