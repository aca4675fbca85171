package io.jemq.session;

import io.jemq.api.DropReason;
import io.jemq.config.QueueSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.limits.MemoryBudgets;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.store.MessageQueue;
import io.jemq.store.StoredSession;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The messages waiting for a session (offline, window full, socket not writable), with what they cost: the
 * mqtt.mqueue limits (length, bytes; the oldest is dropped to make room), the queues' memory budget, QoS 0 kept
 * offline or not, the drop log, and the stall clock (when the queue last moved).
 *
 * <p>Threads: changed on the session's owner loop only; {@link #length()} and the stall clock are read from any
 * thread by congestion checks.
 */
final class SessionQueue {
    private static final Logger log = LoggerFactory.getLogger(SessionQueue.class);
    /** A session whose messages are dropped says so at most once a minute, however many it drops. */
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String clientId;
    private final MessageQueue queue;
    private final StoredSession stored;
    private final QueueSettings settings;
    private final MemoryBudgets budgets;
    private final Counters counters;
    private final BrokerEvents events;
    /** Whether the session is stalled now: told in the drop log. */
    private final BooleanSupplier stalled;
    private volatile int length;
    /**
     * When the queue last moved: a message left it for the socket, or it started filling. A connected subscriber
     * whose queue holds messages and has not moved for stall_timeout is stalled.
     */
    private volatile long movedNanos;
    private long bytes;                      // what the queued messages cost, as the budgets count it
    private long dropped;
    private long dropLoggedAtNanos;
    private long droppedWhenLogged;

    SessionQueue(String clientId, StoredSession stored, QueueSettings settings, MemoryBudgets budgets,
                 Counters counters, BrokerEvents events, BooleanSupplier stalled) {
        this.clientId = clientId;
        this.stalled = stalled;
        this.stored = stored;
        this.queue = stored.queue();
        this.settings = settings;
        this.budgets = budgets;
        this.counters = counters;
        this.events = events;
    }

    /**
     * Queues a delivery (taking its reference) or drops it: QoS 0 while offline unless store_qos0, one larger than
     * max_bytes, or one the memory budget refuses. Makes room by dropping the oldest.
     *
     * @param offline whether no connection is attached
     */
    void add(Delivery d, boolean offline) {
        if (d.qos() == 0 && !settings.storeQos0() && offline) {
            counters.bump(Counter.MESSAGES_DROPPED);
            dropEvent(d, DropReason.QOS0_OFFLINE);
            forget(d);
            d.release();
            return;
        }
        long cost = MemoryBudgets.messageCost(d.message().payloadSize(), d.message().topic());
        long maxBytes = settings.maxBytes();
        if (maxBytes > 0 && cost > maxBytes) {
            dropNew(d, "a message larger than mqtt.mqueue.max_bytes");
            return;
        }
        if (queue.isEmpty()) {
            movedNanos = System.nanoTime();   // the stall clock starts with the first message waiting
        }
        while (!queue.isEmpty() && (settings.maxLength() > 0 && queue.size() >= settings.maxLength()
                || maxBytes > 0 && bytes + cost > maxBytes)) {
            Delivery oldest = poll();
            dropped++;
            counters.bump(Counter.MESSAGES_DROPPED);
            counters.bump(Counter.MESSAGES_DROPPED_QUEUE_FULL);
            dropEvent(oldest, DropReason.QUEUE_FULL);
            forget(oldest);
            oldest.release();
            logDropped("its queue is full (mqtt.mqueue.max_length, max_bytes): dropping the oldest");
        }
        if (!budgets.queues().tryReserve(cost)) {
            dropNew(d, "the memory budget for queued messages (mqtt.budget.queues) is spent");
            return;
        }
        bytes += cost;
        // the decoder's slice would keep its whole read buffer alive for as long as the message waits
        Message kept = d.message().forQueue();
        queue.add(d.withMessage(kept));
        d.release();
        length = queue.size();
    }

    private void dropNew(Delivery d, String why) {
        dropEvent(d, DropReason.QUEUE_FULL);
        forget(d);
        d.release();
        dropped++;
        counters.bump(Counter.MESSAGES_DROPPED);
        counters.bump(Counter.MESSAGES_DROPPED_QUEUE_FULL);
        logDropped(why);
    }

    private void dropEvent(Delivery d, DropReason reason) {
        if (events.active()) {
            events.messageDropped(clientId, d.message(), reason);
        }
    }

    /** The store could not keep it (its disk budget, mqtt.storage.max_disk, is spent): it is dropped. */
    void dropRefused(Delivery d) {
        dropNew(d, "the disk store's budget (mqtt.storage.max_disk) is spent");
    }

    /** A queued message expired before it could be sent: it is dropped. */
    void dropExpired(Delivery d) {
        counters.bump(Counter.MESSAGES_DROPPED);
        dropEvent(d, DropReason.EXPIRED);
        forget(d);
        d.release();
    }

    /** A delivery leaves the session without being acknowledged (dropped, sent at QoS 0): the store forgets it. */
    void forget(Delivery d) {
        if (d.storeKey() != 0) {
            stored.finished(d);
        }
    }

    Delivery peek() {
        return queue.peek();
    }

    /** Takes the oldest queued delivery out (the caller owns it), returning its bytes to the budget. */
    Delivery poll() {
        Delivery d = queue.poll();
        if (d != null) {
            long cost = MemoryBudgets.messageCost(d.message().payloadSize(), d.message().topic());
            bytes -= cost;
            budgets.queues().release(cost);
            length = queue.size();
        }
        return d;
    }

    /** A message left the queue for the socket: the stall clock starts again. */
    void moved() {
        movedNanos = System.nanoTime();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Queued deliveries; any thread (as of the last change). */
    int length() {
        return length;
    }

    /** Whether it holds messages and none left it for {@code stallTimeout}; any thread. */
    boolean notMovedFor(long stallTimeoutNanos) {
        return length > 0 && System.nanoTime() - movedNanos > stallTimeoutNanos;
    }

    long dropped() {
        return dropped;
    }

    MessageQueue store() {
        return queue;
    }

    /** What a restarted broker found queued: counted against the limits' figures and the budget. */
    void recovered() {
        for (int i = 0, n = queue.size(); i < n; i++) {
            Delivery d = queue.poll();
            long cost = MemoryBudgets.messageCost(d.message().payloadSize(), d.message().topic());
            budgets.queues().reserve(cost);
            bytes += cost;
            queue.add(d);
        }
        length = queue.size();
        movedNanos = System.nanoTime();
    }

    /** Releases everything queued and its budget; the session ended. */
    void clear() {
        Delivery d;
        while ((d = poll()) != null) {
            d.release();
        }
        queue.clear();
    }

    /** At most one line per client per minute, however many messages are dropped. */
    private void logDropped(String why) {
        long now = System.nanoTime();
        boolean stalled = this.stalled.getAsBoolean();
        if (droppedWhenLogged > 0 && now - dropLoggedAtNanos < DROP_LOG_INTERVAL_NANOS) {
            return;
        }
        log.warn("dropped messages for {} ({} queued, {} bytes): {}; {} dropped since the last line, {} in all{}",
                clientId, queue.size(), bytes, why, dropped - droppedWhenLogged, dropped,
                stalled ? "; it has taken nothing from its queue for "
                        + TimeUnit.NANOSECONDS.toMillis(now - movedNanos) + " ms" : "");
        dropLoggedAtNanos = now;
        droppedWhenLogged = dropped;
    }
}
