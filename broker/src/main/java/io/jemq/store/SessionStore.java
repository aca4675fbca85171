package io.jemq.store;

import java.util.List;

/**
 * Sessions by client id, as the store keeps them. The session registry opens one when it creates a session and
 * deletes it through {@link StoredSession#delete()} when the session ends.
 *
 * <p>Threads: {@link #create} is called on the loop that will own the session; {@link #recovered} once at start.
 */
public interface SessionStore {

    /** A new, empty session for {@code clientId}, replacing whatever the store held for it. */
    StoredSession create(String clientId, long createdAtMillis);

    /** Sessions found at start (a disk store after a restart); empty for the memory store. */
    List<StoredSession> recovered();
}
