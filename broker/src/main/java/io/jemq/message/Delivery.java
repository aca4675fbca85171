package io.jemq.message;

/**
 * One message on its way to one subscriber: the message plus what is particular to that subscriber (granted QoS,
 * the retain flag it sees, its subscription identifiers). Owns one reference to the message until it is written
 * (QoS 0), acknowledged (QoS 1/2) or dropped; whoever finishes with it calls {@link #release()}.
 *
 * <p>Made by the publish pipeline on the publisher's loop (or by a subscriber's own loop for retained messages),
 * then touched only on the subscriber's loop. It lives here, beside {@link Message}, because the session and the
 * store both hold it.
 */
public final class Delivery {
    private static final int[] NO_IDS = new int[0];

    private final Message message;
    private final int qos;
    private final boolean retainFlag;
    private final int[] subscriptionIds;
    /** The router's removal count before the route that made it: tells whether it may be stale. */
    private final long routedAt;
    /**
     * Its key in a disk store once a persistent session's store wrote it (0: not written). Set on the publisher's
     * thread before the delivery enters the session's inbox, read on the session's loop.
     */
    private long storeKey;
    /**
     * What the store that wrote it keeps of that write, opaque here (the disk store: its pending put, so that an
     * acknowledgement coming before the write cancels it without a lookup). Same threads as {@link #storeKey}.
     */
    private Object storeHandle;
    /**
     * Its number in a cluster's replica of a durable session (0: not replicated); set and read on the same threads as
     * {@link #storeKey}.
     */
    private long replicaKey;

    /** A delivery that cannot be stale: made by the session's own loop (retained messages on SUBSCRIBE). */
    public Delivery(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
        this(message, qos, retainFlag, subscriptionIds, Long.MAX_VALUE);
    }

    public Delivery(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt) {
        this.routedAt = routedAt;
        this.message = message;
        this.qos = qos;
        this.retainFlag = retainFlag;
        this.subscriptionIds = subscriptionIds == null ? NO_IDS : subscriptionIds;
    }

    public Message message() {
        return message;
    }

    public int qos() {
        return qos;
    }

    public boolean retainFlag() {
        return retainFlag;
    }

    public int[] subscriptionIds() {
        return subscriptionIds;
    }

    /** The router's removal count read before matching; {@code Long.MAX_VALUE} when it cannot be stale. */
    public long routedAt() {
        return routedAt;
    }

    public long storeKey() {
        return storeKey;
    }

    public void storeKey(long key) {
        this.storeKey = key;
    }

    public Object storeHandle() {
        return storeHandle;
    }

    public void storeHandle(Object handle) {
        this.storeHandle = handle;
    }

    public long replicaKey() {
        return replicaKey;
    }

    public void replicaKey(long key) {
        this.replicaKey = key;
    }

    /** The same delivery of another form of the message (the queue's detached copy), keeping its store keys. */
    public Delivery withMessage(Message kept) {
        Delivery d = new Delivery(kept, qos, retainFlag, subscriptionIds);
        d.storeKey = storeKey;
        d.storeHandle = storeHandle;
        d.replicaKey = replicaKey;
        return d;
    }

    /** Gives up this delivery's reference to the message. */
    public void release() {
        message.release();
    }
}
