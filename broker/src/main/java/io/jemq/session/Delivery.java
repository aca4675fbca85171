package io.jemq.session;

import io.jemq.message.Message;

/**
 * One message on its way to one session: the message plus what is particular to this subscriber (granted QoS,
 * the retain flag it sees, its subscription identifiers). Owns one reference to the message until it is written
 * (QoS 0), acknowledged (QoS 1/2) or dropped; whoever finishes with it calls {@link #release()}.
 */
public final class Delivery {
    private static final int[] NO_IDS = new int[0];

    final Message message;
    final int qos;
    final boolean retainFlag;
    final int[] subscriptionIds;
    /** {@link io.jemq.routing.Router#removals()} before the route that made it: tells whether it may be stale. */
    final long routedAt;

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

    void release() {
        message.release();
    }
}
