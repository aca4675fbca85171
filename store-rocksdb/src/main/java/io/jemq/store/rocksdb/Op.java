package io.jemq.store.rocksdb;

/**
 * One write for the {@link CommitLog}: a put, a delete, or the deletion of a key range (a session's messages).
 *
 * @param kind  {@link #PUT}, {@link #DELETE} or {@link #DELETE_RANGE}
 * @param key   the key, or the range's first key
 * @param value the value of a put, the range's end (exclusive) of a range delete, else null
 */
record Op(byte kind, byte[] key, byte[] value) {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte DELETE_RANGE = 3;

    static Op put(byte[] key, byte[] value) {
        return new Op(PUT, key, value);
    }

    static Op delete(byte[] key) {
        return new Op(DELETE, key, null);
    }

    static Op deleteRange(byte[] from, byte[] to) {
        return new Op(DELETE_RANGE, from, to);
    }

    /** Bytes it adds to a write batch: for the statistics only. */
    int size() {
        return key.length + (value == null ? 0 : value.length);
    }
}
