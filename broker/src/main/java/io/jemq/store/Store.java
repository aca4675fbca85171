package io.jemq.store;

/**
 * Where the broker keeps session state and retained messages. Built once by the broker, before anything else that
 * holds messages; the memory store now, a disk store (RocksDB, group commit) later behind the same interfaces.
 */
public interface Store extends AutoCloseable {

    SessionStore sessions();

    RetainedMessages retained();

    /** Flushes and closes; called last when the broker stops. */
    @Override
    void close();
}
