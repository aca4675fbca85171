package io.jemq.cluster;

/**
 * The other nodes' acceptance of the QoS 1/2 messages one publish forwarded: done once every node it went to has
 * routed them to its sessions and its store has them (or the node is gone). A publisher's PUBACK / PUBREC waits for
 * it together with the local store's write. The shape of {@code io.jemq.store.Written}, kept here so this package
 * depends on nothing but messages.
 *
 * <p>Threads: any; {@link #whenDone} runs the action on the thread that completes it (a cluster link's loop), so
 * the action must hop to its own event loop itself.
 */
public interface Accepted {

    boolean isDone();

    /** Runs {@code action} once done: at once, on the caller's thread, if it already is. */
    void whenDone(Runnable action);
}
