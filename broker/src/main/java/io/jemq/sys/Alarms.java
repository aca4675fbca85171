package io.jemq.sys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's raised alarms (EMQ's {@code $SYS/brokers/<node>/alarms}): a condition an operator should know about,
 * raised once and logged once, until it clears. Thread-safe.
 */
public final class Alarms {
    private static final Logger log = LoggerFactory.getLogger(Alarms.class);

    /** One raised alarm. */
    public record Alarm(String id, String message, long raisedAtMillis) {
    }

    private final ConcurrentHashMap<String, Alarm> active = new ConcurrentHashMap<>();

    /** Raises {@code id} unless it is raised already. */
    public void raise(String id, String message) {
        if (active.putIfAbsent(id, new Alarm(id, message, System.currentTimeMillis())) == null) {
            log.warn("alarm {} raised: {}", id, message);
        }
    }

    public void clear(String id) {
        if (active.remove(id) != null) {
            log.info("alarm {} cleared", id);
        }
    }

    public boolean isRaised(String id) {
        return active.containsKey(id);
    }

    public List<Alarm> active() {
        return List.copyOf(active.values());
    }
}
