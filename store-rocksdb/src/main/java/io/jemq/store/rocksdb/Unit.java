package io.jemq.store.rocksdb;

import io.jemq.store.Written;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes one thread groups between {@code beginUnit} and {@code endUnit}, and the answer to each of them: the
 * round the unit lands in is known only once it is enqueued, so a write made inside the unit answers the unit itself,
 * which follows that round from then on. Made and filled on one thread; {@link #whenDone} from any.
 */
final class Unit implements Written {
    final List<Op> ops = new ArrayList<>(4);
    /** Sessions whose record changed in the unit: written once, at its end (made at first use). */
    private List<DiskSession> records;
    private volatile Written round;
    private List<Runnable> early;

    void recordOf(DiskSession session) {
        if (records == null) {
            records = new ArrayList<>(1);
        }
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) == session) {
                return;
            }
        }
        records.add(session);
    }

    /**
     * The unit ends: the changed records join its writes, after everything else in it, so a record reflects every
     * change made in the unit; a session erased in it since (no longer persistent) writes none.
     */
    void addRecords() {
        if (records != null) {
            for (DiskSession session : records) {
                Op op = session.recordOp();
                if (op != null) {
                    ops.add(op);
                }
            }
        }
    }

    @Override
    public boolean isDone() {
        Written r = round;
        return r != null && r.isDone();
    }

    @Override
    public void whenDone(Runnable action) {
        Written r = round;
        if (r == null) {
            synchronized (this) {
                r = round;
                if (r == null) {
                    if (early == null) {
                        early = new ArrayList<>(2);
                    }
                    early.add(action);
                    return;
                }
            }
        }
        r.whenDone(action);
    }

    /** The unit was enqueued and lands in {@code r}. */
    void landsIn(Written r) {
        List<Runnable> waiting;
        synchronized (this) {
            round = r;
            waiting = early;
            early = null;
        }
        if (waiting != null) {
            for (Runnable action : waiting) {
                r.whenDone(action);
            }
        }
    }
}
