package io.jemq.flow;

/**
 * Told, while a message is being routed, about a congested target it went to (a local subscriber, the link to
 * another node), so the one who sent the message can pause. Implemented by {@link PublisherPause}; the publish
 * pipeline passes null for senders that cannot pause (wills, $SYS, the HTTP API).
 *
 * <p>Threads: called on the thread routing the message, which is the sender's event loop.
 */
public interface Backpressure {
    void congested(Congestible target);
}
