package io.jemq.store.memory;

import io.jemq.message.Delivery;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A session's inflight window in an {@link IntObjectHashMap} by packet id (no boxing), made at the first message: an
 * idle session does not pay for the map and its arrays (~250 B).
 */
final class MemoryInflight implements InflightWindow {
    private static final IntObjectHashMap<InflightEntry> NONE = new IntObjectHashMap<>(1);

    private IntObjectHashMap<InflightEntry> entries = NONE;   // read only while NONE
    private int nextPacketId = 1;
    private long sequence;

    @Override
    public InflightEntry add(Delivery d, long nowNanos) {
        int id = nextPacketId;
        while (entries.containsKey(id)) {
            id = id == 65535 ? 1 : id + 1;
        }
        nextPacketId = id == 65535 ? 1 : id + 1;
        Stage stage = d.qos() == 1 ? Stage.AWAITING_PUBACK : Stage.AWAITING_PUBREC;
        InflightEntry e = new InflightEntry(id, sequence++, d, stage, nowNanos);
        if (entries == NONE) {
            entries = new IntObjectHashMap<>();
        }
        entries.put(id, e);
        return e;
    }

    @Override
    public InflightEntry get(int packetId) {
        return entries.get(packetId);
    }

    @Override
    public InflightEntry remove(int packetId) {
        return entries == NONE ? null : entries.remove(packetId);
    }

    @Override
    public Delivery released(InflightEntry e, long nowNanos) {
        Delivery d = e.delivery();
        e.moveTo(Stage.AWAITING_PUBCOMP, null);
        e.sentAtNanos = nowNanos;
        return d;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public List<InflightEntry> inSendOrder() {
        List<InflightEntry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparingLong(InflightEntry::sequence));
        return list;
    }

    @Override
    public void clear() {
        for (InflightEntry e : entries.values()) {
            if (e.delivery() != null) {
                e.delivery().release();
            }
        }
        entries = NONE;
    }
}
