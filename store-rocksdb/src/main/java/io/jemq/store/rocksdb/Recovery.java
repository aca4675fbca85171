package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.store.StoredSession;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads the disk store back at start: sessions (an expired one is deleted, an older incarnation of a client id
 * too), then their QoS 2 packet ids, queued and inflight messages and receipts, then retained messages. Records of a
 * session that is gone are deleted. Logs one line with the counts and the time, and a progress line every five seconds
 * when it takes longer. A record it cannot read stops it ({@link StoreCorruptException}).
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final RocksStore store;
    private final RocksDB db;
    private final Map<Long, DiskSession> byIncarnation = new HashMap<>();
    /** QoS 2 packet id and stage by store key. */
    private final Map<Long, Stage> inflight = new HashMap<>();
    private final long started = System.nanoTime();
    private long lastProgress = started;
    private int expired;
    /** Incarnations of the sessions that expired while the broker was down: their wills are due. */
    private final Set<Long> expiredIncarnations = new HashSet<>();
    private final List<Message> dueWills = new ArrayList<>();
    private long messages;
    private long inflightCount;
    private long receipts;
    private long orphans;

    Recovery(RocksStore store, RocksDB db) {
        this.store = store;
        this.db = db;
    }

    List<StoredSession> run() {
        Map<String, DiskSession> sessions = readSessions();
        scan(Keys.INFLIGHT, (key, value) -> {
            store.seen(Keys.tail(key));
            if (value.length != 3) {
                throw new StoreCorruptException("an inflight record of " + value.length + " bytes", null);
            }
            inflight.put(Keys.tail(key), new Stage(key, (value[0] & 0xFF) << 8 | value[1] & 0xFF, value[2] == 1));
        });
        scan(Keys.QUEUED, this::queued);
        for (Map.Entry<Long, Stage> e : inflight.entrySet()) {
            Stage stage = e.getValue();
            DiskSession s = byIncarnation.get(Keys.incarnation(stage.key()));
            if (s != null && stage.released()) {             // past PUBREC: only the packet id is left
                s.diskInflight().restore(stage.packetId(), e.getKey(), null, true);
                inflightCount++;
            } else {
                orphan(stage.key());                         // acknowledged, or its session is gone
            }
        }
        scan(Keys.RECEIPT, (key, value) -> {
            DiskSession s = byIncarnation.get(Keys.incarnation(key));
            if (s == null) {
                orphan(key);
                return;
            }
            s.diskReceipts().restore((int) Keys.tail(key));
            receipts++;
        });
        scan(Keys.WILL, (key, value) -> {
            DiskSession s = byIncarnation.get(Keys.incarnation(key));
            if (s == null) {
                if (expiredIncarnations.contains(Keys.incarnation(key))) {
                    dueWills.add(Codec.will(value).message());  // its session expired while the broker was down
                }
                orphan(key);
                return;
            }
            Codec.WillRecord w = Codec.will(value);
            s.restoreWill(w.message(), w.delaySeconds());
        });
        int[] retained = new int[1];
        scan(Keys.RETAINED, (key, value) -> {
            store.diskRetained().restore(Keys.retainedTopic(key), Codec.message(value));
            retained[0]++;
        });
        store.sessionPersisted(sessions.size());
        log.info("disk store {}: {} sessions ({} expired and deleted, {} of their wills due), {} queued and {} "
                        + "inflight messages, {} QoS 2 receipts, {} retained messages recovered in {} ms", store.dir(),
                sessions.size(), expired, dueWills.size(), messages, inflightCount, receipts, retained[0],
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (orphans > 0) {
            log.info("disk store: {} records of sessions that had ended were deleted", orphans);
        }
        return new ArrayList<>(sessions.values());
    }

    /** The wills {@link #run} found due: sessions that expired while the broker was down. */
    List<Message> dueWills() {
        return dueWills;
    }

    private record Stage(byte[] key, int packetId, boolean released) {
    }

    private Map<String, DiskSession> readSessions() {
        Map<String, DiskSession> sessions = new HashMap<>();
        long now = System.currentTimeMillis();
        scan(Keys.SESSION, (key, value) -> {
            String clientId = Keys.sessionClientId(key);
            long incarnation = Keys.sessionIncarnation(key);
            store.seen(incarnation);
            Codec.SessionRecord r = Codec.session(value);
            long offline = r.offlineSinceMillis();
            if (r.expirySeconds() < 0xFFFFFFFFL && offline > 0 && now - offline >= r.expirySeconds() * 1000) {
                expired++;
                expiredIncarnations.add(incarnation);
                erase(clientId, incarnation);
                return;
            }
            DiskSession older = sessions.get(clientId);
            if (older != null && older.incarnation() > incarnation) {
                erase(clientId, incarnation);
                return;
            }
            if (older != null) {
                erase(clientId, older.incarnation());
                byIncarnation.remove(older.incarnation());
            }
            DiskSession s = new DiskSession(store, clientId, incarnation, r);
            sessions.put(clientId, s);
            byIncarnation.put(incarnation, s);
        });
        return sessions;
    }

    private void queued(byte[] key, byte[] value) {
        long seq = Keys.tail(key);
        store.seen(seq);
        DiskSession s = byIncarnation.get(Keys.incarnation(key));
        if (s == null) {
            orphan(key);
            return;
        }
        Stage stage = inflight.get(seq);
        if (stage != null && stage.released()) {
            // past PUBREC, the message's own delete not yet written: its stage decides (restored below), the
            // payload goes; queueing it again would deliver it twice and free a packet id the client still holds
            orphan(key);
            return;
        }
        inflight.remove(seq);
        Delivery d = Codec.delivery(value);
        d.storeKey(seq);
        if (stage != null) {
            s.diskInflight().restore(stage.packetId(), seq, d, false);
            inflightCount++;
        } else {
            s.diskQueue().restore(d);
            messages++;
        }
        progress();
    }

    private void erase(String clientId, long incarnation) {
        CommitLog commits = store.log();
        commits.submit(Op.delete(Keys.session(clientId, incarnation)));
        for (byte kind : new byte[] {Keys.QUEUED, Keys.INFLIGHT, Keys.RECEIPT}) {
            commits.submit(Op.deleteRange(Keys.first(kind, incarnation), Keys.end(kind, incarnation)));
        }
    }

    private void orphan(byte[] key) {
        orphans++;
        store.log().submit(Op.delete(key));
    }

    private void progress() {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_NANOS) {
            lastProgress = now;
            log.info("disk store: recovering, {} messages read so far ({} s)", messages + inflightCount,
                    TimeUnit.NANOSECONDS.toSeconds(now - started));
        }
    }

    private interface Visitor {
        void visit(byte[] key, byte[] value);
    }

    private void scan(byte kind, Visitor visitor) {
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(new byte[] {kind}); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key[0] != kind) {
                    break;
                }
                visitor.visit(key, it.value());
            }
            it.status();
        } catch (org.rocksdb.RocksDBException e) {
            throw new StoreCorruptException("reading the store failed: " + e.getMessage(), e);
        }
    }
}
