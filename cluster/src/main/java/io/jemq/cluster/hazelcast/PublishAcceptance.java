package io.jemq.cluster.hazelcast;

import io.jemq.cluster.Accepted;
import io.jemq.store.Written;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one QoS 1/2 publish waits for from the other nodes: a count of the links it was sent on that have not
 * acknowledged it yet (plus one for the publisher's unit while it is open), done at zero. A link counts down when the
 * node acknowledges the frame, or when the frame will never be acknowledged (the node left or died, or its link's
 * bound was reached): a publish never waits on a node that is gone.
 *
 * It is a {@link Written} too, for the node that forwards a peer's message on to a session that moved away (its
 * acknowledgement to the peer waits for both).
 *
 * <p>Threads: made and {@link #expect}ed on the publisher's loop between {@link #begin} and {@link #end}; counted
 * down on the links' loops.
 */
final class PublishAcceptance implements Accepted, Written {
    private static final FastThreadLocal<Unit> UNIT = new FastThreadLocal<>() {
        @Override
        protected Unit initialValue() {
            return new Unit();
        }
    };

    private final AtomicInteger waiting = new AtomicInteger(1);
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** The calling thread's open unit: whether one is open, and its acceptance once something was forwarded. */
    private static final class Unit {
        boolean open;
        PublishAcceptance current;
    }

    static void begin() {
        Unit u = UNIT.get();
        u.open = true;
        u.current = null;
    }

    /** The acceptance of the calling thread's open unit, made on first use; null outside a unit (wills, $SYS). */
    static PublishAcceptance current() {
        Unit u = UNIT.get();
        if (!u.open) {
            return null;
        }
        if (u.current == null) {
            u.current = new PublishAcceptance();
        }
        return u.current;
    }

    /** Closes the unit. @return what is still to be accepted, null when nothing is */
    static PublishAcceptance end() {
        Unit u = UNIT.get();
        PublishAcceptance a = u.current;
        u.open = false;
        u.current = null;
        if (a == null) {
            return null;
        }
        a.accepted();
        return a.isDone() ? null : a;
    }

    /** One more link has to acknowledge. */
    void expect() {
        waiting.incrementAndGet();
    }

    /** One link acknowledged (or never will). */
    void accepted() {
        if (waiting.decrementAndGet() == 0) {
            done.complete(null);
        }
    }

    @Override
    public boolean isDone() {
        return done.isDone();
    }

    @Override
    public void whenDone(Runnable action) {
        done.thenRun(action);
    }
}
