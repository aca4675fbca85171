package io.jemq.store.memory;

import io.jemq.store.Qos2Receipts;
import io.jemq.store.Written;
import io.netty.util.collection.IntObjectHashMap;

/** Inbound QoS 2 packet ids with the time each arrived, by id; the map is made at the first QoS 2 message. */
final class MemoryQos2Receipts implements Qos2Receipts {
    private static final IntObjectHashMap<Long> NONE = new IntObjectHashMap<>(1);

    private IntObjectHashMap<Long> receivedAt = NONE;        // read only while NONE

    @Override
    public boolean awaitsRelease(int packetId) {
        return receivedAt.containsKey(packetId);
    }

    @Override
    public Written receive(int packetId, long nowNanos) {
        if (receivedAt == NONE) {
            receivedAt = new IntObjectHashMap<>();
        }
        receivedAt.put(packetId, Long.valueOf(nowNanos));
        return Written.DONE;
    }

    @Override
    public boolean release(int packetId) {
        return receivedAt != NONE && receivedAt.remove(packetId) != null;
    }

    @Override
    public void expire(long nowNanos, long timeoutNanos) {
        if (receivedAt == NONE) {
            return;
        }
        receivedAt.values().removeIf(at -> nowNanos - at >= timeoutNanos);
    }

    @Override
    public int size() {
        return receivedAt.size();
    }

    @Override
    public void clear() {
        receivedAt = NONE;
    }
}
