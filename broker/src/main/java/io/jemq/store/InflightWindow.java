package io.jemq.store;

import io.jemq.message.Delivery;

import java.util.List;

/**
 * A session's outbound QoS 1 and 2 deliveries awaiting acknowledgement, by packet id, each with its stage in the
 * QoS 2 flow. Packet ids are handed out in sequence, skipping ids still in use.
 *
 * <p>Threads: owned by the session's event loop. An entry holds its delivery's reference until the entry is
 * removed or reaches {@link Stage#AWAITING_PUBCOMP} (the payload is no longer needed then); the caller releases what
 * it takes out. Nothing waits for these writes to be durable: a message not yet durable here is still durable in
 * the queue or the publisher's store write, so the methods return plain results.
 */
public interface InflightWindow {

    /** Where an outbound QoS 1/2 delivery stands. */
    enum Stage { AWAITING_PUBACK, AWAITING_PUBREC, AWAITING_PUBCOMP }

    /**
     * Adds a delivery under a fresh packet id, in stage PUBACK (QoS 1) or PUBREC (QoS 2). The caller made sure the
     * window has room, so an id is free.
     */
    InflightEntry add(Delivery d, long nowNanos);

    InflightEntry get(int packetId);

    /** Takes the entry out; its delivery (if any) is the caller's to release. */
    InflightEntry remove(int packetId);

    /**
     * PUBREC arrived: the entry moves to {@link Stage#AWAITING_PUBCOMP} and gives its delivery to the caller (who
     * releases it); the packet id stays in use until PUBCOMP.
     */
    Delivery released(InflightEntry e, long nowNanos);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** Entries in the order they were first sent: the order a resumed session resends them in. */
    List<InflightEntry> inSendOrder();

    /**
     * When the window's changes so far (packet ids given to QoS 2 deliveries, PUBREC stages) are durable. A QoS 2
     * PUBLISH or a PUBREL goes out only then, so a restarted broker resends it under the same packet id and the
     * client can tell it is a duplicate.
     */
    default Written durable() {
        return Written.DONE;
    }

    /** Releases every delivery still held; the session ended. */
    void clear();
}
