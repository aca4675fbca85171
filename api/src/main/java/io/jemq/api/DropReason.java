package io.jemq.api;

/** Why a message was not delivered to a subscriber (or to anyone). */
public enum DropReason {
    /** No subscription matched its topic. */
    NO_SUBSCRIBERS("no_subscribers"),
    /**
     * The subscriber's queue was full ({@code mqtt.mqueue.max_len}, {@code max_bytes}) or a memory budget refused it.
     */
    QUEUE_FULL("queue_full"),
    /** Its message expiry interval ran out before it could be sent. */
    EXPIRED("expired"),
    /** Larger than the subscriber's Maximum Packet Size. */
    TOO_LARGE("too_large"),
    /** The ACL denied the publish. */
    NOT_AUTHORIZED("not_authorized"),
    /** A QoS 0 message to an offline session that keeps none ({@code mqtt.mqueue.store_qos0 = false}). */
    QOS0_OFFLINE("qos0_offline");

    private final String emqName;

    DropReason(String emqName) {
        this.emqName = emqName;
    }

    public String emqName() {
        return emqName;
    }
}
