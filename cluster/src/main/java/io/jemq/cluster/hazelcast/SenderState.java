package io.jemq.cluster.hazelcast;

import io.jemq.store.Written;

/**
 * What this node accepted from one other node's link in one epoch (the life of that node's {@link PeerLink}): the
 * highest frame number routed here, and the store write of the last one, so a frame sent again after a reconnect
 * is dropped, and an acknowledgement never runs ahead of the store.
 *
 * <p>Threads: the loops of the connections from that node; a new connection may be read while the old one's last
 * frames still are, so each frame is admitted and handled under this object's monitor (uncontended but for that).
 */
final class SenderState {
    final long epoch;
    private long accepted;
    private Written lastWritten = Written.DONE;

    /** @param accepted what the sender says was acknowledged before (frames up to it are not sent again) */
    SenderState(long epoch, long accepted) {
        this.epoch = epoch;
        this.accepted = accepted;
    }

    /** Under the monitor: whether frame {@code seq} is new here. */
    boolean isNew(long seq) {
        return seq > accepted;
    }

    /**
     * Under the monitor: frame {@code seq} was handled; the store has it once {@code written} is done. An earlier
     * frame's write not done yet stays in what the next acknowledgement waits for.
     */
    void accepted(long seq, Written written) {
        accepted = seq;
        lastWritten = BothWritten.of(lastWritten, written);
    }

    /** Under the monitor: the highest frame number accepted. */
    long acceptedUpTo() {
        return accepted;
    }

    /** Under the monitor: the store write of the frame {@link #acceptedUpTo} names. */
    Written lastWritten() {
        return lastWritten;
    }
}
