package io.jemq.store.memory;

import io.jemq.store.RetainedMessages;
import io.jemq.store.SessionStore;
import io.jemq.store.Store;
import io.jemq.store.StoredSession;

import java.util.List;

/**
 * Today's behaviour behind the store interfaces: everything in memory, gone with the process. Every write is durable
 * at once ({@link io.jemq.store.Written#DONE}).
 */
public final class MemoryStore implements Store {
    private final RetainedMessages retained;
    private final SessionStore sessions = new SessionStore() {
        @Override
        public StoredSession create(String clientId, long createdAtMillis) {
            return new MemorySession(clientId, createdAtMillis);
        }

        @Override
        public List<StoredSession> recovered() {
            return List.of();
        }
    };

    /** @param maxRetained most retained topics ({@code retainer.max_message_num}); 0 = unlimited */
    public MemoryStore(long maxRetained) {
        this.retained = new MemoryRetained(maxRetained);
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public RetainedMessages retained() {
        return retained;
    }

    @Override
    public void close() {
        // nothing to flush
    }
}
