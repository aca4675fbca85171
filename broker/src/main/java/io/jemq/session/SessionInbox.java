package io.jemq.session;

import io.jemq.message.Delivery;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Where deliveries for a session arrive from any thread: a lock-free MPSC queue drained on the session's owner loop
 * in batches, one scheduled drain at a time, with one flush per batch. A drain that finds the session moved to
 * another loop re-dispatches itself there. The queue is made on the first delivery: an idle session (most of a large
 * fleet) never pays for it (~0.9 KB with its first chunk).
 */
final class SessionInbox implements Runnable {
    private static final AtomicIntegerFieldUpdater<SessionInbox> DRAIN_SCHEDULED =
            AtomicIntegerFieldUpdater.newUpdater(SessionInbox.class, "drainScheduled");
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<SessionInbox, Queue> DELIVERIES =
            AtomicReferenceFieldUpdater.newUpdater(SessionInbox.class, Queue.class, "deliveries");
    /** Deliveries handled per drain before yielding the loop to other work. */
    private static final int DRAIN_BATCH = 4096;
    /** Small chunks: an idle session must stay cheap (the default chunk is 1024 slots, 4 KiB per session). */
    private static final int INBOX_CHUNK = 64;

    private final Session session;
    private volatile Queue<Delivery> deliveries;     // null until the first delivery
    private volatile int drainScheduled;

    SessionInbox(Session session) {
        this.session = session;
    }

    /** Any thread: takes the delivery's reference. */
    void offer(Delivery d) {
        Queue<Delivery> q = deliveries;
        if (q == null) {
            q = create();
        }
        q.offer(d);
        if (DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            session.loop().execute(this);
        }
    }

    @SuppressWarnings("unchecked")
    private Queue<Delivery> create() {
        Queue<Delivery> made = PlatformDependent.newMpscQueue(INBOX_CHUNK, 1 << 30);
        return DELIVERIES.compareAndSet(this, null, made) ? made : deliveries;  // another producer won: use theirs
    }

    /** The drain, as the loop's task: this object is the task, so an idle session needs no lambda for it. */
    @Override
    public void run() {
        drain();
    }

    private void drain() {
        EventLoop owner = session.loop();
        if (!owner.inEventLoop()) {
            owner.execute(this);   // the session moved loops since this drain was scheduled
            return;
        }
        drainScheduled = 0;             // before polling: a submit after our last poll schedules anew
        Queue<Delivery> q = deliveries; // not null: a drain is scheduled only after an offer
        Delivery d;
        int n = 0;
        while (n < DRAIN_BATCH && (d = q.poll()) != null) {
            session.accept(d);
            n++;
        }
        if (n == DRAIN_BATCH && !q.isEmpty() && DRAIN_SCHEDULED.compareAndSet(this, 0, 1)) {
            owner.execute(this);
        }
        session.drained();
    }

    /** Deliveries routed here and not yet handled; any thread. */
    int size() {
        Queue<Delivery> q = deliveries;
        return q == null ? 0 : q.size();
    }

    /** The next delivery routed here and not yet handled, or null; owner loop (a take-over hands them on). */
    Delivery poll() {
        Queue<Delivery> q = deliveries;
        return q == null ? null : q.poll();
    }

    /** Releases what is still waiting; the session ended (owner loop). */
    void clear() {
        Queue<Delivery> q = deliveries;
        if (q == null) {
            return;
        }
        Delivery d;
        while ((d = q.poll()) != null) {
            d.release();
        }
    }
}
