package io.jemq.cluster.hazelcast;

import io.jemq.store.Written;

/**
 * Two writes (or acceptances) a link's acknowledgement waits for together: a frame's own and what came before it,
 * when that is not done yet, so a cumulative acknowledgement never covers a frame whose effects are still on their
 * way. Threads: as {@link Written}.
 */
record BothWritten(Written first, Written second) implements Written {

    /**
     * {@code later}, or both when {@code earlier} is still on its way. Writes of one commit group are one object, so
     * a chain grows by the groups (and forwarded acceptances) pending at once, not by the frames.
     */
    static Written of(Written earlier, Written later) {
        if (earlier == later || earlier.isDone()) {
            return later;
        }
        if (earlier instanceof BothWritten both && both.second == later) {
            return earlier;
        }
        return new BothWritten(earlier, later);
    }

    @Override
    public boolean isDone() {
        return first.isDone() && second.isDone();
    }

    @Override
    public void whenDone(Runnable action) {
        first.whenDone(() -> second.whenDone(action));
    }
}
