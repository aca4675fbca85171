package io.jemq.store.rocksdb;

import io.jemq.store.Written;

import java.util.ArrayList;
import java.util.List;

/**
 * One commit group: every write the {@link CommitLog} takes in one round shares it, and it completes once they are
 * durable (per mqtt.storage.sync). Groups complete in the order they were opened.
 *
 * <p>Threads: {@link #whenDone} from any thread; {@link #complete} on the commit thread, which runs the waiting actions
 * (they only schedule work on their own loops).
 */
final class Batch implements Written {
    private volatile boolean done;
    /** A write was told it lands here: the round must come, even if that write went into the one before. */
    private volatile boolean promised;
    private List<Runnable> actions;

    void promise() {
        if (!promised) {
            promised = true;
        }
    }

    boolean isPromised() {
        return promised;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public void whenDone(Runnable action) {
        if (!done) {
            synchronized (this) {
                if (!done) {
                    if (actions == null) {
                        actions = new ArrayList<>(4);
                    }
                    actions.add(action);
                    return;
                }
            }
        }
        action.run();
    }

    void complete() {
        List<Runnable> run;
        synchronized (this) {
            done = true;
            run = actions;
            actions = null;
        }
        if (run != null) {
            for (Runnable r : run) {
                r.run();
            }
        }
    }
}
