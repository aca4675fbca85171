package io.jemq.store.rocksdb;

/** A record of the disk store that cannot be read: the start stops and says how to move the store aside. */
final class StoreCorruptException extends RuntimeException {
    StoreCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
