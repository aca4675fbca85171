package io.jemq.session;

import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Outbound QoS 1/2 deliveries awaiting acknowledgement, by packet id. Owned by the session's event loop.
 * Packet ids are handed out in sequence, skipping ids still in use.
 */
final class Inflight {
    /** Where an outbound QoS 1/2 delivery stands. */
    enum Stage { AWAITING_PUBACK, AWAITING_PUBREC, AWAITING_PUBCOMP }

    static final class Entry {
        final int packetId;
        final long sequence;
        Delivery delivery;          // null once PUBREC arrived: the payload is no longer needed
        Stage stage;
        long sentAtNanos;

        Entry(int packetId, long sequence, Delivery delivery, Stage stage, long sentAtNanos) {
            this.packetId = packetId;
            this.sequence = sequence;
            this.delivery = delivery;
            this.stage = stage;
            this.sentAtNanos = sentAtNanos;
        }
    }

    private final IntObjectHashMap<Entry> entries = new IntObjectHashMap<>();
    private int nextPacketId = 1;
    private long sequence;

    int size() {
        return entries.size();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    Entry get(int packetId) {
        return entries.get(packetId);
    }

    Entry remove(int packetId) {
        return entries.remove(packetId);
    }

    /** Adds a delivery under a fresh packet id; the caller made sure the window has room (so an id is free). */
    Entry add(Delivery delivery, long nowNanos) {
        int id = nextPacketId;
        while (entries.containsKey(id)) {
            id = id == 65535 ? 1 : id + 1;
        }
        nextPacketId = id == 65535 ? 1 : id + 1;
        Stage stage = delivery.qos == 1 ? Stage.AWAITING_PUBACK : Stage.AWAITING_PUBREC;
        Entry e = new Entry(id, sequence++, delivery, stage, nowNanos);
        entries.put(id, e);
        return e;
    }

    /** Entries in the order they were first sent: the order a resumed session resends them in. */
    List<Entry> inSendOrder() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(e -> e.sequence));
        return list;
    }

    /** Releases every message still held; the session is ending. */
    void clear() {
        for (Entry e : entries.values()) {
            if (e.delivery != null) {
                e.delivery.release();
            }
        }
        entries.clear();
    }
}
