package io.jemq.cluster.hazelcast;

import io.jemq.flow.Congestible;
import io.jemq.flow.PausedPublishers;

/**
 * Whether a {@link PeerLink} holds its publishers back, and the publishers it holds: congested while its connection
 * is not writable or {@link PeerLink#PAUSE_BYTES} wait for acknowledgement (or half of the QoS 0 frames it may keep
 * while down wait for a connection); drained once writable, below half those bytes and a quarter of those frames.
 *
 * <p>Threads: {@link #update} and {@link #clear} on the link's loop; the rest from the publishers' loops, lock-free
 * (a volatile flag and {@link PausedPublishers}, as a session's congestion).
 */
final class LinkCongestion implements Congestible {
    private final String node;
    private final PausedPublishers pausedPublishers = new PausedPublishers();
    private volatile boolean congested;

    LinkCongestion(String node) {
        this.node = node;
    }

    /** On the loop, after what the link holds changed. */
    void update(boolean writable, long unackedBytes, int waiting) {
        if (!congested) {
            if (!writable || unackedBytes >= PeerLink.PAUSE_BYTES || waiting >= PeerLink.MAX_WAITING / 2) {
                congested = true;
                PeerLink.log.debug("link to {} is behind: its publishers pause", node);
            }
        } else if (writable && unackedBytes < PeerLink.PAUSE_BYTES / 2 && waiting < PeerLink.MAX_WAITING / 4) {
            congested = false;              // before resuming: a publisher registering now sees it clear
            PeerLink.log.debug("link to {} drained", node);
            resumePublishers();
        }
    }

    /** On the loop: the link closed, nothing waits for the node any more: its publishers go on. */
    void clear() {
        congested = false;
        resumePublishers();
    }

    @Override
    public boolean isCongested() {
        return congested;
    }

    /** {@code resume} runs (on the link's loop) once the link drained, at once if it has. Any thread. */
    @Override
    public void whenDrained(Runnable resume) {
        pausedPublishers.add(resume);
        if (!congested) {
            resumePublishers();             // drained between the publisher's check and its registration
        }
    }

    @Override
    public void forgetPaused(Runnable resume) {
        pausedPublishers.remove(resume);
    }

    @Override
    public String toString() {
        return "link to " + node;
    }

    private void resumePublishers() {
        pausedPublishers.resumeAll();
    }
}
