package io.jemq.sys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker's raised alarms (EMQ's {@code $SYS/brokers/<node>/alarms}): a condition an operator should know about,
 * raised once and logged once, until it clears. Whoever raises or clears one calls from its own thread (an event
 * loop, a plugin's pool, a monitor); {@link Listener}s are told on that thread. Thread-safe.
 */
public final class Alarms {
    private static final Logger log = LoggerFactory.getLogger(Alarms.class);

    /** One raised alarm. */
    public record Alarm(String id, String message, long raisedAtMillis) {
    }

    /**
     * Told when an alarm is raised and when it clears ($SYS publishes them, the REST API lists them). Called on the
     * thread that raised or cleared it, once per change: it must return quickly and never block.
     */
    public interface Listener {
        void raised(Alarm alarm);

        /** @param clearedAtMillis when it cleared */
        void cleared(Alarm alarm, long clearedAtMillis);
    }

    private final ConcurrentHashMap<String, Alarm> active = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Raises {@code id} unless it is raised already. */
    public void raise(String id, String message) {
        Alarm alarm = new Alarm(id, message, System.currentTimeMillis());
        if (active.putIfAbsent(id, alarm) == null) {
            log.warn("alarm {} raised: {}", id, message);
            for (Listener l : listeners) {
                try {
                    l.raised(alarm);
                } catch (RuntimeException e) {
                    log.warn("alarm listener {} failed", l, e);
                }
            }
        }
    }

    public void clear(String id) {
        Alarm alarm = active.remove(id);
        if (alarm != null) {
            log.info("alarm {} cleared", id);
            long now = System.currentTimeMillis();
            for (Listener l : listeners) {
                try {
                    l.cleared(alarm, now);
                } catch (RuntimeException e) {
                    log.warn("alarm listener {} failed", l, e);
                }
            }
        }
    }

    public boolean isRaised(String id) {
        return active.containsKey(id);
    }

    public List<Alarm> active() {
        return List.copyOf(active.values());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}
