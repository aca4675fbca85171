package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.Written;
import io.netty.util.collection.IntObjectHashMap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A session's inflight window in memory, by packet id. On disk: each message keeps its record until acknowledged
 * (PUBACK, PUBCOMP: deleted, in the commit thread's next batch); a QoS 2 message also gets its packet id and stage,
 * so a restarted broker resends it under the same id ({@link #durable()} tells the session when it may send).
 * Owner loop only.
 */
final class DiskInflight implements InflightWindow {
    private final DiskSession session;
    private final IntObjectHashMap<InflightEntry> entries = new IntObjectHashMap<>();
    /** The put of each entry's message, by packet id: an entry past PUBREC no longer holds its delivery. */
    private final IntObjectHashMap<Op> puts = new IntObjectHashMap<>();
    private int nextPacketId = 1;
    private long sequence;
    private Written lastWrite = Written.DONE;

    DiskInflight(DiskSession session) {
        this.session = session;
    }

    @Override
    public InflightEntry add(Delivery d, long nowNanos) {
        int id = nextPacketId;
        while (entries.containsKey(id)) {
            id = id == 65535 ? 1 : id + 1;
        }
        nextPacketId = id == 65535 ? 1 : id + 1;
        Stage stage = d.qos() == 1 ? Stage.AWAITING_PUBACK : Stage.AWAITING_PUBREC;
        InflightEntry e = new InflightEntry(id, sequence++, d, stage, nowNanos);
        entries.put(id, e);
        if (session.persistent()) {
            if (d.storeKey() <= 0) {
                session.write(d);
            }
            puts.put(id, session.putOf(d));
            if (d.qos() == 2) {
                lastWrite = writeStage(id, d.storeKey(), false);
            }
        }
        return e;
    }

    private Written writeStage(int packetId, long seq, boolean released) {
        return session.store().log().submit(Op.put(Keys.message(Keys.INFLIGHT, session.incarnation(), seq),
                Codec.inflight(packetId, released)));
    }

    /** An entry read back at start, under its packet id; {@code d} is null past PUBREC. */
    void restore(int packetId, long seq, Delivery d, boolean released) {
        InflightEntry e = new InflightEntry(packetId, sequence++, d,
                released ? Stage.AWAITING_PUBCOMP : Stage.AWAITING_PUBREC, 0);
        entries.put(packetId, e);
        puts.put(packetId, Op.written(Keys.message(Keys.QUEUED, session.incarnation(), seq)));
        nextPacketId = packetId == 65535 ? 1 : packetId + 1;
    }

    @Override
    public InflightEntry get(int packetId) {
        return entries.get(packetId);
    }

    @Override
    public InflightEntry remove(int packetId) {
        InflightEntry e = entries.remove(packetId);
        Op put = puts.remove(packetId);
        if (e != null && put != null && session.persistent()) {
            CommitLog log = session.store().log();
            if (e.stage() != Stage.AWAITING_PUBCOMP) {
                log.forget(put);             // past PUBREC it went already (released)
            }
            if (e.stage() != Stage.AWAITING_PUBACK) {
                log.submit(Op.delete(Keys.message(Keys.INFLIGHT, session.incarnation(), Keys.tail(put.key()))));
            }
        }
        return e;
    }

    @Override
    public Delivery released(InflightEntry e, long nowNanos) {
        Delivery d = e.delivery();
        e.moveTo(Stage.AWAITING_PUBCOMP, null);
        e.sentAtNanos = nowNanos;
        Op put = puts.get(e.packetId());
        if (put != null && session.persistent()) {
            // the stage first, then the payload goes: in one commit group or in order, never the other way round
            lastWrite = writeStage(e.packetId(), Keys.tail(put.key()), true);
            session.store().log().forget(put);
        }
        return d;
    }

    @Override
    public Written durable() {
        return lastWrite;
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
        entries.clear();
        puts.clear();
    }
}
