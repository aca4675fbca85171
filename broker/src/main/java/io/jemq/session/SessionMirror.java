package io.jemq.session;

import io.jemq.store.StoredSession;

/**
 * Where a cluster keeps a copy of the durable sessions a node holds, so another node can resume one when this node
 * is down: it may wrap the store of each session the registry opens or recovers. Set on the
 * {@link SessionRegistry} by a cluster module while this node is a member ({@link SessionRegistry#mirror}); a node
 * alone has none, and its sessions work on their store as it is (one volatile read a session opened, nothing else).
 *
 * <p>Threads: {@link #holding} on the loop opening a session, or on the broker's start thread for a recovered one
 * (after the modules started, before the listeners open), never for a session already running.
 */
@FunctionalInterface
public interface SessionMirror {

    /**
     * @param expirySeconds what the session's connection asked for (a recovered session: what it kept)
     * @param recovered     found in this node's store at start
     * @return what the session works on; null (recovered only) when another node holds the session by now, so this
     *         node drops its copy
     */
    StoredSession holding(StoredSession stored, long expirySeconds, boolean recovered);
}
