package io.jemq.store.rocksdb;

import io.jemq.store.Qos2Receipts;
import io.jemq.store.Written;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

import java.util.Iterator;

/**
 * Inbound QoS 2 packet ids awaiting PUBREL, with the time each arrived; a persistent session's are on disk too, so a
 * resend after a restart is still recognised (and not routed twice). Owner loop only.
 */
final class DiskReceipts implements Qos2Receipts {
    private static final byte[] EMPTY = new byte[0];

    private final DiskSession session;
    private final IntObjectHashMap<Long> receivedAt = new IntObjectHashMap<>();

    DiskReceipts(DiskSession session) {
        this.session = session;
    }

    @Override
    public boolean awaitsRelease(int packetId) {
        return receivedAt.containsKey(packetId);
    }

    @Override
    public Written receive(int packetId, long nowNanos) {
        receivedAt.put(packetId, Long.valueOf(nowNanos));
        if (!session.persistent()) {
            return Written.DONE;
        }
        return session.store().log().submit(Op.put(Keys.receipt(session.incarnation(), packetId), EMPTY));
    }

    /** One read back at start: its await_rel_timeout counts from now. */
    void restore(int packetId) {
        receivedAt.put(packetId, Long.valueOf(System.nanoTime()));
    }

    @Override
    public boolean release(int packetId) {
        if (receivedAt.remove(packetId) == null) {
            return false;
        }
        forget(packetId);
        return true;
    }

    private void forget(int packetId) {
        if (session.persistent()) {
            session.store().log().submit(Op.delete(Keys.receipt(session.incarnation(), packetId)));
        }
    }

    @Override
    public void expire(long nowNanos, long timeoutNanos) {
        Iterator<IntObjectMap.PrimitiveEntry<Long>> it = receivedAt.entries().iterator();
        while (it.hasNext()) {
            IntObjectMap.PrimitiveEntry<Long> e = it.next();
            if (nowNanos - e.value() >= timeoutNanos) {
                forget(e.key());
                it.remove();
            }
        }
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
