package io.jemq.access;

import io.jemq.api.Access;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's cached ACL answers, allow and deny, keyed by topic with a slot per access (EMQ 3.x semantics):
 * at most {@code maxSize} topics, the oldest dropped first; each answer trusted for {@code ttl}. Emptied when the
 * chain's generation moves ({@code acl reload}, a plugin loaded or unloaded). Touched only on the connection's
 * event loop, so a plain map: a hit is one lookup and no allocation.
 */
final class AclCache {
    private static final class Entry {
        AclDecision publish;
        long publishAt;
        AclDecision subscribe;
        long subscribeAt;
    }

    private static final Map<String, Entry> NONE = Map.of();

    private final int maxSize;
    private final long ttlNanos;
    /** Made at the first answer: a client that never publishes or subscribes never needs one. */
    private Map<String, Entry> entries = NONE;
    private long generation;

    AclCache(int maxSize, long ttlNanos, long generation) {
        this.maxSize = maxSize;
        this.ttlNanos = ttlNanos;
        this.generation = generation;
    }

    private Map<String, Entry> newEntries() {
        return new LinkedHashMap<>(Math.min(maxSize, 64) * 2) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > AclCache.this.maxSize;
            }
        };
    }

    /** The cached answer, or null. */
    AclDecision get(Access access, String topic, long now, long currentGeneration) {
        if (currentGeneration != generation) {
            clear();
            generation = currentGeneration;
            return null;
        }
        Entry e = entries.get(topic);
        if (e == null) {
            return null;
        }
        AclDecision d = access == Access.PUBLISH ? e.publish : e.subscribe;
        if (d == null) {
            return null;
        }
        long at = access == Access.PUBLISH ? e.publishAt : e.subscribeAt;
        if (now - at >= ttlNanos) {
            dropExpired(now);
            return null;
        }
        return d;
    }

    /** The cached answer, or null, changing nothing (an explanation must not drop or clear entries). */
    AclDecision peek(Access access, String topic, long now, long currentGeneration) {
        Entry e = currentGeneration == generation ? entries.get(topic) : null;
        if (e == null) {
            return null;
        }
        AclDecision d = access == Access.PUBLISH ? e.publish : e.subscribe;
        long at = access == Access.PUBLISH ? e.publishAt : e.subscribeAt;
        return d == null || now - at >= ttlNanos ? null : d;
    }

    void put(Access access, String topic, AclDecision d, long now) {
        if (entries == NONE) {
            entries = newEntries();
        }
        Entry e = entries.get(topic);
        if (e == null) {
            e = new Entry();
            entries.put(topic, e);
        }
        if (access == Access.PUBLISH) {
            e.publish = d;
            e.publishAt = now;
        } else {
            e.subscribe = d;
            e.subscribeAt = now;
        }
    }

    void clear() {
        if (!entries.isEmpty()) {
            entries.clear();
        }
    }

    int size() {
        return entries.size();
    }

    /** Drops expired answers from the oldest end, as EMQ does when it meets an expired one. */
    private void dropExpired(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.publish != null && now - e.publishAt >= ttlNanos) {
                e.publish = null;
            }
            if (e.subscribe != null && now - e.subscribeAt >= ttlNanos) {
                e.subscribe = null;
            }
            if (e.publish == null && e.subscribe == null) {
                it.remove();
            }
        }
    }
}
