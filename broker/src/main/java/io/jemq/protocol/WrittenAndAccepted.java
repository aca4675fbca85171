package io.jemq.protocol;

import io.jemq.cluster.Accepted;
import io.jemq.store.Written;

/**
 * A QoS 1/2 publish forwarded to other nodes: its acknowledgement waits for this node's store write and for the
 * other nodes' acceptance together. Made only when another node has yet to accept (a node alone never makes one).
 * Threads: as {@link Written}; the action runs on whichever thread completes the later of the two.
 */
record WrittenAndAccepted(Written local, Accepted remote) implements Written {

    @Override
    public boolean isDone() {
        return local.isDone() && remote.isDone();
    }

    @Override
    public void whenDone(Runnable action) {
        local.whenDone(() -> remote.whenDone(action));
    }
}
