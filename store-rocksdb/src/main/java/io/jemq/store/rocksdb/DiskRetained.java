package io.jemq.store.rocksdb;

import io.jemq.message.Message;
import io.jemq.store.Put;
import io.jemq.store.RetainedMessages;
import io.jemq.store.Written;
import io.jemq.store.memory.RetainedStore;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retained messages: matched in memory (the memory store's {@link RetainedStore}), every change written through to
 * RocksDB in the caller's write unit, so a retained PUBLISH is acknowledged once its copy is durable. Any thread.
 */
final class DiskRetained implements RetainedMessages {
    private final RetainedStore<Message> messages;
    private final CommitLog log;

    DiskRetained(long maxMessages, CommitLog log) {
        this.messages = new RetainedStore<>(maxMessages);
        this.log = log;
    }

    /** One read back at start. */
    void restore(String topic, Message m) {
        messages.put(topic, m);
    }

    @Override
    public Put<Message> put(String topic, Message message) {
        Put<Message> put = messages.put(topic, message);
        if (put.stored()) {
            log.submit(Op.put(Keys.retained(topic), Codec.message(message)));
        }
        return put;
    }

    @Override
    public Message remove(String topic) {
        Message removed = messages.remove(topic);
        if (removed != null) {
            log.submit(Op.delete(Keys.retained(topic)));
        }
        return removed;
    }

    @Override
    public Message get(String topic) {
        return messages.get(topic);
    }

    @Override
    public void match(String filter, Consumer<Message> each) {
        messages.match(filter, each);
    }

    @Override
    public int size() {
        return messages.size();
    }

    @Override
    public void forEach(BiConsumer<String, Message> each) {
        messages.forEach(each);
    }

    @Override
    public Written durable() {
        return log.current();
    }
}
