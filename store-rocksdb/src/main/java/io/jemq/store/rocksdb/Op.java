package io.jemq.store.rocksdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One write for the {@link CommitLog}: a put, a delete, or the deletion of a key range (a session's messages).
 *
 * <p>A put also carries its fate: waiting until the commit thread takes it into a round (written), unless its
 * message is acknowledged first ({@link #cancel()}: then neither the put nor a delete is ever written). The delivery
 * holds its message's put ({@code Delivery.storeHandle}), so an acknowledgement finds it without a map. Made on any
 * thread; {@link #markWritten()} and the value on the commit thread only once it has the op.
 */
final class Op {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte DELETE_RANGE = 3;

    private static final int WAITING = 0;
    private static final int WRITTEN = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Op.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte kind;
    private final byte[] key;
    /** A put's value until it is written (the delivery in memory is the copy that counts then), a range's end. */
    private byte[] value;
    @SuppressWarnings("unused")                      // through STATE
    private volatile int state;

    private Op(byte kind, byte[] key, byte[] value, int state) {
        this.kind = kind;
        this.key = key;
        this.value = value;
        this.state = state;
    }

    static Op put(byte[] key, byte[] value) {
        return new Op(PUT, key, value, WAITING);
    }

    static Op delete(byte[] key) {
        return new Op(DELETE, key, null, WAITING);
    }

    static Op deleteRange(byte[] from, byte[] to) {
        return new Op(DELETE_RANGE, from, to, WAITING);
    }

    /** A put that is on disk already (a message read back at start): its acknowledgement deletes it. */
    static Op written(byte[] key) {
        return new Op(PUT, key, null, WRITTEN);
    }

    /** {@link #PUT}, {@link #DELETE} or {@link #DELETE_RANGE}. */
    byte kind() {
        return kind;
    }

    /** The key, or the range's first key. */
    byte[] key() {
        return key;
    }

    /** The value of a put not yet written, the range's end (exclusive) of a range delete, else null. */
    byte[] value() {
        return value;
    }

    /** Commit thread: the op goes into the round being written. @return false for a put cancelled before */
    boolean markWritten() {
        return kind != PUT || STATE.compareAndSet(this, WAITING, WRITTEN);
    }

    /** Commit thread, once the op is in the round's write batch: the value is not needed any more. */
    void dropValue() {
        if (kind == PUT) {
            value = null;
        }
    }

    /**
     * Any thread: the message of this put was acknowledged (or dropped). @return true when the put had not been
     * written yet and now never will be; false when it is (or is being) written and needs a delete
     */
    boolean cancel() {
        return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    /** Bytes it adds to a write batch: for the statistics only. */
    int size() {
        return key.length + (value == null ? 0 : value.length);
    }
}
