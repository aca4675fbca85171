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

    public Delivery(Message message, int qos, boolean retainFlag, int[] subscriptionIds) {
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
