package io.jemq.store.rocksdb;

import io.jemq.config.StorageSettings.Sync;
import io.jemq.store.Written;
import io.netty.util.concurrent.FastThreadLocal;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit: every store write, from any thread, goes into one queue; a single commit thread ({@code
 * jemq-store-commit}) takes all that is waiting, writes it as one RocksDB write batch, syncs the log once (sync =
 * batch) and completes the round's {@link Batch}, which every write of the round answered. While it syncs, the next
 * round fills, so the syncs per second stay bounded however many clients publish.
 *
 * <p>A thread may group its writes into a unit ({@link #beginUnit()} / {@link #endUnit()}): they enter the queue as
 * one element and so land in one write batch, atomically. Writes submitted after {@link #close()} are dropped: the
 * broker releases its memory after closing the store, and that must not erase what is on disk.
 */
final class CommitLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommitLog.class);

    private final RocksDB db;
    private final Sync sync;
    private final long syncIntervalNanos;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final FastThreadLocal<Unit> units = new FastThreadLocal<>();
    /**
     * Queued-message puts made inside a unit that is not enqueued yet (false), or acknowledged meanwhile (true). A
     * subscriber on another loop may acknowledge a message before the publisher's unit holding its put is enqueued:
     * its delete must then follow the put, not precede it (a delete before the put left the message on disk, and a
     * restart delivered it again).
     */
    private final ConcurrentHashMap<KeyBytes, Boolean> unitPuts = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Batch open = new Batch();
    private volatile boolean closed;
    private volatile Throwable failure;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    /** The commit thread's scratch: the round's writes, and where each message's put is among them. */
    private final List<Op> ops = new ArrayList<>();
    private final Map<KeyBytes, Integer> puts = new HashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long lastSyncMillis;
    private long lastIntervalSyncNanos = System.nanoTime();

    CommitLog(RocksDB db, Sync sync, long syncIntervalNanos) {
        this.db = db;
        this.sync = sync;
        this.syncIntervalNanos = syncIntervalNanos;
        this.thread = new Thread(this::run, "jemq-store-commit");
        thread.setDaemon(true);
        thread.start();
    }

    // ---------------------------------------------------------------- any thread

    /** Submits one write (into the calling thread's unit if one is open). @return when it is durable */
    Written submit(Op op) {
        if (op.kind() == Op.DELETE && isQueued(op)
                && unitPuts.replace(new KeyBytes(op.key()), Boolean.FALSE, Boolean.TRUE)) {
            return Written.DONE;             // its put waits in a unit: endUnit follows it with this delete
        }
        Unit unit = units.getIfExists();
        if (unit != null) {
            unit.ops.add(op);
            if (op.kind() == Op.PUT && isQueued(op)) {
                unitPuts.put(new KeyBytes(op.key()), Boolean.FALSE);
            }
            return unit;                     // its round is known once the unit is enqueued
        }
        return enqueue(op);
    }

    private static boolean isQueued(Op op) {
        return op.key()[0] == Keys.QUEUED;
    }

    void beginUnit() {
        units.set(new Unit());
    }

    Written endUnit() {
        Unit unit = units.getIfExists();
        units.remove();
        if (unit == null) {
            return Written.DONE;
        }
        Written round = unit.ops.isEmpty() ? Written.DONE : enqueue(unit.ops.size() == 1 ? unit.ops.get(0) : unit.ops);
        unit.landsIn(round);
        // enqueued first, then released: a delete submitted from here on is enqueued after the put
        for (int i = 0, n = unit.ops.size(); i < n; i++) {
            Op op = unit.ops.get(i);
            if (op.kind() == Op.PUT && isQueued(op) && Boolean.TRUE.equals(unitPuts.remove(new KeyBytes(op.key())))) {
                enqueue(Op.delete(op.key()));    // acknowledged while the unit was open: cancels in the commit
            }
        }
        return round;
    }

    /** The round the element lands in is the open one read after enqueueing it, or an earlier one. */
    private Written enqueue(Object element) {
        if (closed) {
            return Written.DONE;
        }
        queue.add(element);
        Batch b = open;
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
        return b;
    }

    /** The round that will hold whatever is submitted now: waiting on it waits for everything submitted so far. */
    Written current() {
        return enqueue(List.of());           // an empty element: it makes a round even when nothing else is queued
    }

    long rounds() {
        return rounds.get();
    }

    long writes() {
        return writes.get();
    }

    long bytesWritten() {
        return bytes.get();
    }

    /** Messages acknowledged before their round was written: neither written nor deleted. */
    long cancelled() {
        return cancelled.get();
    }

    long lastSyncMillis() {
        return lastSyncMillis;
    }

    // ---------------------------------------------------------------- the commit thread

    private void run() {
        try (WriteOptions options = new WriteOptions().setSync(sync == Sync.BATCH)) {
            while (true) {
                if (queue.isEmpty()) {
                    if (closed) {
                        break;
                    }
                    idle();
                    continue;
                }
                Batch round = open;
                open = new Batch();
                commit(options, round);
            }
        } catch (Throwable e) {
            failure = e;
            log.error("the disk store cannot write any more: {}; acknowledgements of persistent messages stop",
                    e.toString(), e);
        }
    }

    private void idle() throws RocksDBException {
        sleeping.set(true);
        if (queue.isEmpty() && !closed) {
            LockSupport.parkNanos(this, sync == Sync.INTERVAL ? syncIntervalNanos : TimeUnit.SECONDS.toNanos(1));
        }
        sleeping.set(false);
        syncOnInterval();
    }

    private void syncOnInterval() throws RocksDBException {
        if (sync == Sync.INTERVAL && System.nanoTime() - lastIntervalSyncNanos >= syncIntervalNanos) {
            db.flushWal(true);
            lastIntervalSyncNanos = System.nanoTime();
            lastSyncMillis = System.currentTimeMillis();
        }
    }

    @SuppressWarnings("unchecked")
    private void commit(WriteOptions options, Batch round) throws RocksDBException {
        ops.clear();
        Object element;
        while ((element = queue.poll()) != null) {
            if (element instanceof Op op) {
                ops.add(op);
            } else {
                ops.addAll((List<Op>) element);
            }
        }
        cancelAcknowledged();
        int n = 0;
        long size = 0;
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0, count = ops.size(); i < count; i++) {
                Op op = ops.get(i);
                if (op != null) {
                    add(batch, op);
                    n++;
                    size += op.size();
                }
            }
            db.write(options, batch);
        }
        ops.clear();
        if (sync == Sync.BATCH) {
            lastSyncMillis = System.currentTimeMillis();
        }
        rounds.incrementAndGet();
        writes.addAndGet(n);
        bytes.addAndGet(size);
        round.complete();
        syncOnInterval();
    }

    /**
     * A message acknowledged by its subscriber before its round was written (an online subscriber is often that
     * fast) needs neither its write nor its delete: both are dropped from the round. The put of a message key is always
     * the first write of that key (keys are never reused), so nothing older is uncovered.
     */
    private void cancelAcknowledged() {
        puts.clear();
        for (int i = 0, count = ops.size(); i < count; i++) {
            Op op = ops.get(i);
            if (op.key()[0] != Keys.QUEUED) {
                continue;
            }
            if (op.kind() == Op.PUT) {
                puts.put(new KeyBytes(op.key()), i);
            } else if (op.kind() == Op.DELETE) {
                Integer put = puts.remove(new KeyBytes(op.key()));
                if (put != null) {
                    ops.set(put, null);
                    ops.set(i, null);
                    cancelled.incrementAndGet();
                }
            }
        }
    }

    /** A key as a map key: arrays compare by identity. */
    private record KeyBytes(byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && Arrays.equals(key, k.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }
    }

    private static void add(WriteBatch batch, Op op) throws RocksDBException {
        switch (op.kind()) {
            case Op.PUT -> batch.put(op.key(), op.value());
            case Op.DELETE -> batch.delete(op.key());
            default -> batch.deleteRange(op.key(), op.value());
        }
    }

    /** Writes what is queued, syncs, and stops the commit thread. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure == null && sync != Sync.BATCH) {
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                log.warn("disk store: the last sync at close failed: {}", e.toString());
            }
        }
        open.complete();
    }
}
