package io.jemq.store.rocksdb;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightWindow;
import io.jemq.store.MessageQueue;
import io.jemq.store.Qos2Receipts;
import io.jemq.store.StoredSession;
import io.jemq.store.Written;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One session in the disk store: its state in memory, as the memory store keeps it, written through to RocksDB while
 * the session is persistent (expiry above 0). A clean session (expiry 0) never writes anything.
 *
 * <p>Threads: the session's owner loop, except {@link #accept}, called on publishers' threads; {@code incarnation}
 * and {@code persistent} are volatile for them.
 */
final class DiskSession implements StoredSession {
    private final RocksStore store;
    private final String clientId;
    private final long createdAtMillis;
    private final Map<TopicFilter, SubOptions> subscriptions = new LinkedHashMap<>();
    private final Map<TopicFilter, SubOptions> subscriptionsView = Collections.unmodifiableMap(subscriptions);
    private final DiskQueue queue;
    private final DiskInflight inflight;
    private final DiskReceipts qos2;
    private volatile long incarnation;
    private volatile boolean persistent;
    private long expirySeconds;
    private long offlineSinceMillis;
    private Message will;
    private long willDelaySeconds;

    DiskSession(RocksStore store, String clientId, long createdAtMillis) {
        this.store = store;
        this.clientId = clientId;
        this.createdAtMillis = createdAtMillis;
        this.queue = new DiskQueue(this);
        this.inflight = new DiskInflight(this);
        this.qos2 = new DiskReceipts(this);
    }

    /** A session read back at start. */
    DiskSession(RocksStore store, String clientId, long incarnation, Codec.SessionRecord r) {
        this(store, clientId, r.createdAtMillis());
        this.incarnation = incarnation;
        this.persistent = true;
        this.expirySeconds = r.expirySeconds();
        this.offlineSinceMillis = r.offlineSinceMillis();
        this.subscriptions.putAll(r.subscriptions());
    }

    RocksStore store() {
        return store;
    }

    boolean persistent() {
        return persistent;
    }

    long incarnation() {
        return incarnation;
    }

    /** Writes a delivery of this persistent session and marks it with its key and its put. */
    Written write(Delivery d) {
        long seq = store.nextSeq();
        Op put = Op.put(Keys.message(Keys.QUEUED, incarnation, seq), Codec.delivery(d));
        d.storeKey(seq);
        d.storeHandle(put);
        return store.log().submit(put);
    }

    /** The put of a delivery's message: the one written here, or one standing for a message read back at start. */
    Op putOf(Delivery d) {
        return d.storeHandle() instanceof Op put ? put
                : Op.written(Keys.message(Keys.QUEUED, incarnation, d.storeKey()));
    }

    @Override
    public void accept(Delivery d) {
        if (!persistent) {
            return;
        }
        if (store.isFull()) {
            d.storeKey(RocksStore.REFUSED);
            return;
        }
        write(d);
    }

    @Override
    public void finished(Delivery d) {
        if (persistent && d.storeKey() > 0) {
            store.log().forget(putOf(d));
        }
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public long createdAtMillis() {
        return createdAtMillis;
    }

    @Override
    public Map<TopicFilter, SubOptions> subscriptions() {
        return subscriptionsView;
    }

    @Override
    public SubOptions subscribe(TopicFilter filter, SubOptions options) {
        SubOptions previous = subscriptions.put(filter, options);
        writeRecord();
        return previous;
    }

    @Override
    public boolean unsubscribe(TopicFilter filter) {
        if (subscriptions.remove(filter) == null) {
            return false;
        }
        writeRecord();
        return true;
    }

    @Override
    public long expirySeconds() {
        return expirySeconds;
    }

    @Override
    public Written expirySeconds(long seconds) {
        this.expirySeconds = seconds;
        this.offlineSinceMillis = 0;
        if (seconds > 0 && !persistent) {
            incarnation = store.nextSeq();
            persistent = true;
            store.sessionPersisted(1);
        } else if (seconds == 0 && persistent) {
            return eraseFromDisk();          // a 5.0 DISCONNECT made it a clean session: nothing more to keep
        }
        return writeRecord();
    }

    @Override
    public void offlineSince(long millis) {
        this.offlineSinceMillis = millis;
        writeRecord();
    }

    @Override
    public long offlineSinceMillis() {
        return offlineSinceMillis;
    }

    private Written writeRecord() {
        if (!persistent) {
            return Written.DONE;
        }
        return store.log().submitRecord(this);
    }

    /**
     * The session's record as it is now, or null when it is no longer persistent. Called when the record is written:
     * at once, or at the end of the unit it changed in, so a SUBSCRIBE of many filters encodes it once, not per filter.
     */
    Op recordOp() {
        if (!persistent) {
            return null;
        }
        return Op.put(Keys.session(clientId, incarnation), Codec.session(
                new Codec.SessionRecord(createdAtMillis, expirySeconds, offlineSinceMillis, subscriptions)));
    }

    private Written eraseFromDisk() {
        persistent = false;
        store.sessionPersisted(-1);
        long inc = incarnation;
        CommitLog log = store.log();
        log.submit(Op.deleteRange(Keys.first(Keys.QUEUED, inc), Keys.end(Keys.QUEUED, inc)));
        log.submit(Op.deleteRange(Keys.first(Keys.INFLIGHT, inc), Keys.end(Keys.INFLIGHT, inc)));
        log.submit(Op.deleteRange(Keys.first(Keys.RECEIPT, inc), Keys.end(Keys.RECEIPT, inc)));
        log.submit(Op.delete(Keys.will(inc)));
        return log.submit(Op.delete(Keys.session(clientId, inc)));
    }

    @Override
    public Message will() {
        return will;
    }

    @Override
    public long willDelaySeconds() {
        return willDelaySeconds;
    }

    /** A will whose delay runs: kept in memory and, for a persistent session, written (docs/durability.md). */
    @Override
    public Written will(Message newWill, long delaySeconds) {
        Message previous = will;
        will = newWill == null ? null : newWill.retain();
        willDelaySeconds = newWill == null ? 0 : delaySeconds;
        if (previous != null) {
            previous.release();
        }
        if (!persistent || newWill == null && previous == null) {
            return Written.DONE;
        }
        return store.log().submit(newWill == null ? Op.delete(Keys.will(incarnation))
                : Op.put(Keys.will(incarnation), Codec.will(newWill, delaySeconds)));
    }

    /** The will read back at start; the session holds the message's reference. */
    void restoreWill(Message recovered, long delaySeconds) {
        will = recovered;
        willDelaySeconds = delaySeconds;
    }

    @Override
    public MessageQueue queue() {
        return queue;
    }

    @Override
    public InflightWindow inflight() {
        return inflight;
    }

    @Override
    public Qos2Receipts qos2() {
        return qos2;
    }

    DiskInflight diskInflight() {
        return inflight;
    }

    DiskQueue diskQueue() {
        return queue;
    }

    DiskReceipts diskReceipts() {
        return qos2;
    }

    @Override
    public Written delete() {
        Written w = persistent ? eraseFromDisk() : Written.DONE;
        unload();
        return w;
    }

    @Override
    public Written unload() {
        subscriptions.clear();
        queue.clear();
        inflight.clear();
        qos2.clear();
        will(null, 0);
        return Written.DONE;
    }
}
