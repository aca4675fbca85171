package io.jemq.store.rocksdb;

import java.nio.file.Path;

/**
 * The disk store cannot be opened or read: the start stops with this message, which says how to move the store aside
 * (nothing is ever discarded by the broker itself).
 */
final class StoreUnreadableException extends RuntimeException {
    StoreUnreadableException(Path dir, String why, Throwable cause) {
        super("the disk store in " + dir + " cannot be read (" + why + "). Nothing was changed. If another broker "
                + "is using it, stop that one; to start with an empty store, move this one aside "
                + "(bin/jemq store-move-aside, or mv " + dir + " " + dir + ".broken) and start again; "
                + "see docs/durability.md", cause);
    }
}
