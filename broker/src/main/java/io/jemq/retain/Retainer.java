package io.jemq.retain;

import io.jemq.config.RetainerSettings;
import io.jemq.limits.Budget;
import io.jemq.limits.MemoryBudgets;
import io.jemq.message.Message;
import io.jemq.store.Put;
import io.jemq.store.RetainedMessages;
import io.jemq.store.memory.MemoryStore;
import io.jemq.sys.Counters;
import io.jemq.sys.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Retained messages with EMQ's retainer limits: an empty payload clears the topic, payloads above
 * {@code retainer.max_payload_size} are delivered but not kept, new topics beyond {@code retainer.max_message_num}
 * are refused (logged). Kept messages are detached copies, so they don't pin network buffers.
 */
public final class Retainer {
    private static final Logger log = LoggerFactory.getLogger(Retainer.class);

    private final RetainedMessages store;
    private final RetainerSettings settings;
    private final Counters counters;
    /** {@code mqtt.budget.retained}: what the kept messages cost in all. */
    private final Budget budget;

    /** Keeps the messages in memory of its own (tests, tools). */
    public Retainer(RetainerSettings settings, Counters counters, Budget budget) {
        this(settings, counters, budget, new MemoryStore(settings.maxMessageNum()).retained());
    }

    /** @param store where the messages are kept: the broker's {@link io.jemq.store.Store#retained()} */
    public Retainer(RetainerSettings settings, Counters counters, Budget budget, RetainedMessages store) {
        this.budget = budget;
        this.settings = settings;
        this.counters = counters;
        this.store = store;
    }

    /**
     * Whether a retained message of this size may be kept now: asked before a client's retained PUBLISH is
     * accepted, so that at the limit the client is refused (5.0: 0x97) rather than silently not retained. Clearing
     * a topic, or replacing its message with one no larger, is always possible: only what a message adds counts.
     */
    public boolean hasRoomFor(Message m) {
        return m.payloadSize() == 0 || budget.fits(growth(m));
    }

    /** What keeping {@code m} adds to the budget: its cost less that of the message it replaces. */
    private long growth(Message m) {
        Message replaced = store.get(m.topic());
        long cost = MemoryBudgets.messageCost(m.payloadSize(), m.topic());
        return replaced == null ? cost : cost - MemoryBudgets.messageCost(replaced.payloadSize(), replaced.topic());
    }

    /** Applies a PUBLISH with the retain flag set. */
    public void onRetainedPublish(Message m) {
        if (m.payloadSize() == 0) {
            forget(store.remove(m.topic()));
            return;
        }
        if (settings.maxPayloadSize() > 0 && m.payloadSize() > settings.maxPayloadSize()) {
            log.debug("not retaining {} from {}: {} bytes is above retainer.max_payload_size", m.topic(),
                    m.publisherId(), m.payloadSize());
            return;
        }
        long cost = MemoryBudgets.messageCost(m.payloadSize(), m.topic());
        if (!budget.fits(growth(m))) {
            log.debug("not retaining {} from {}: mqtt.budget.retained is spent", m.topic(), m.publisherId());
            return;
        }
        // the whole cost, whatever the limit: the replaced message's bytes come back right after the put, so the
        // budget is over by at most the replaced message, and only for that moment
        budget.reserve(cost);
        Message copy = m.detachedCopy();
        Put<Message> put = store.put(m.topic(), copy);
        if (!put.stored()) {
            forget(copy);
            log.warn("not retaining {} from {}: retainer.max_message_num ({}) reached", m.topic(), m.publisherId(),
                    settings.maxMessageNum());
            return;
        }
        forget(put.previous());
        counters.observe(Stat.RETAINED, store.size());
    }

    /** Releases a message the store no longer holds and gives its bytes back to the budget. */
    private void forget(Message m) {
        if (m != null) {
            budget.release(MemoryBudgets.messageCost(m.payloadSize(), m.topic()));
            Message.releaseQuietly(m);
        }
    }

    /**
     * Each retained message the filter matches, retained for the caller (who releases it). Expired ones are
     * skipped. The store's own reference stays.
     */
    public void match(String filter, Consumer<Message> each) {
        long now = System.currentTimeMillis();
        long maxAge = settings.expiryInterval().toMillis();
        store.match(filter, m -> {
            if (m.isExpired(now) || (maxAge > 0 && now - m.createdAtMillis() >= maxAge)) {
                return;
            }
            try {
                each.accept(m.retain());
            } catch (io.netty.util.IllegalReferenceCountException raced) {
                // replaced and released concurrently by another publisher: that newer message is delivered instead
            }
        });
    }

    public int size() {
        return store.size();
    }

    public Message get(String topic) {
        return store.get(topic);
    }

    /** Every kept message by topic, for management; the store keeps its references. Weakly consistent. */
    public void forEach(BiConsumer<String, Message> each) {
        store.forEach(each);
    }

    /** Clears a topic as an operator's action (the REST API); whether it had a message. */
    public boolean remove(String topic) {
        Message removed = store.remove(topic);
        forget(removed);
        return removed != null;
    }

    /** Counts what a disk store recovered at start against the budget (over it if need be: nothing is dropped). */
    public void recovered() {
        store.forEach((t, m) -> budget.reserve(MemoryBudgets.messageCost(m.payloadSize(), m.topic())));
        counters.observe(Stat.RETAINED, store.size());
    }

    /** Releases everything; the broker is stopping. */
    public void clear() {
        store.forEach((t, m) -> forget(store.remove(t)));
    }
}
