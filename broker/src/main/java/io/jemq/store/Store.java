package io.jemq.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the broker keeps session state and retained messages. Built once by the broker, before anything else that
 * holds messages: the memory store ({@code mqtt.storage = memory}) or the disk store of the store-rocksdb module,
 * found through a {@link StoreProvider}.
 *
 * <p>Write units: a publisher's loop calls {@link #beginUnit()} before it routes a QoS 1/2 message and {@link
 * #endUnit()} after; every store write the same thread makes in between (the message queued for each persistent
 * subscriber, its QoS 2 receipt, a retained copy) becomes durable together, and the answer of {@code endUnit} says
 * when, so the PUBACK / PUBREC waits for exactly that. Units do not nest.
 */
public interface Store extends AutoCloseable {

    SessionStore sessions();

    RetainedMessages retained();

    /** Starts a unit of writes on the calling thread. The memory store does nothing. */
    default void beginUnit() {
    }

    /** Ends the calling thread's unit: the writes made since {@link #beginUnit()} go to disk as one. */
    default Written endUnit() {
        return Written.DONE;
    }

    /** Figures for {@code ctl store} and the management API (size, keys, last sync...), in display order. */
    default Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "memory");
        f.put("retained", retained().size());
        return f;
    }

    /** Compacts what it keeps ({@code ctl store compact}); says what it did. */
    default String compact() {
        return "nothing to compact: the memory store";
    }

    /** Flushes and closes; called last when the broker stops. */
    @Override
    void close();
}
