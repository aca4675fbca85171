package io.jemq.store.memory;

import io.jemq.store.Qos2Receipts;
import io.jemq.store.Written;
import io.netty.util.collection.IntObjectHashMap;

/** Inbound QoS 2 packet ids with the time each arrived, by id. */
final class MemoryQos2Receipts implements Qos2Receipts {
    private final IntObjectHashMap<Long> receivedAt = new IntObjectHashMap<>();

    @Override
    public boolean awaitsRelease(int packetId) {
        return receivedAt.containsKey(packetId);
    }

    @Override
    public Written receive(int packetId, long nowNanos) {
        receivedAt.put(packetId, Long.valueOf(nowNanos));
        return Written.DONE;
    }

    @Override
    public boolean release(int packetId) {
        return receivedAt.remove(packetId) != null;
    }

    @Override
    public void expire(long nowNanos, long timeoutNanos) {
        receivedAt.values().removeIf(at -> nowNanos - at >= timeoutNanos);
    }

    @Override
    public int size() {
        return receivedAt.size();
    }

    @Override
    public void clear() {
        receivedAt.clear();
    }
}
