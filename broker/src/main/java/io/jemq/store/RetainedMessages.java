package io.jemq.store;

import io.jemq.message.Message;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retained messages by topic name. The retainer applies EMQ's limits and owns the budget; this keeps the messages.
 *
 * <p>Threads: any; publishers on every loop put and remove concurrently, subscribers match concurrently. The store
 * holds one reference of every message it keeps; what {@link #put} or {@link #remove} hands back is the caller's to
 * release. {@link #durable()} tells when the changes made so far are durable (a retained publish is acknowledged
 * then).
 */
public interface RetainedMessages {

    /**
     * Stores or replaces the message of {@code message.topic()}. Replacing is always allowed; a new topic is refused
     * ({@code stored() == false}) when the store holds {@code retainer.max_message_num} topics.
     */
    Put<Message> put(String topic, Message message);

    /** Clears a topic; returns the removed message or null. */
    Message remove(String topic);

    Message get(String topic);

    /** Calls {@code each} with every kept message whose topic the (valid, unshared) filter matches. */
    void match(String filter, Consumer<Message> each);

    int size();

    /** Every topic and message; weakly consistent under concurrent changes. */
    void forEach(BiConsumer<String, Message> each);

    /** When the changes made so far are durable. */
    Written durable();
}
