package io.jemq.store;

import io.jemq.message.Message;

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

    /**
     * The delayed wills of sessions that expired while the broker was down (a session's end makes its will due,
     * MQTT 5.0 3.1.3.2.2): published once at start, after the sessions are back. The caller takes each message's
     * reference; a second call returns nothing.
     */
    default List<Message> willsOfExpired() {
        return List.of();
    }
}
