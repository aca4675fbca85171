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
import java.util.List;
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
    /** How long a round may wait for more work after a busy one, from the busy one's start (see gather). */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);
    /** Units (or single writes) the last round must have held for the next one to wait. */
    static final int GATHER_MIN_ELEMENTS = 16;
    /** Writes in hand that end the wait at once. */
    static final int GATHER_WRITES = 512;
    private static final long GATHER_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    private final RocksDB db;
    private final Sync sync;
    private final long syncIntervalNanos;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final FastThreadLocal<Unit> units = new FastThreadLocal<>();
    private final Thread thread;
    private volatile Batch open = new Batch();
    private volatile boolean closed;
    private volatile Throwable failure;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    /** The commit thread's scratch: the round's writes. */
    private final List<Op> ops = new ArrayList<>();
    private int elements;
    private int lastElements;
    private long lastRoundNanos;
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
        Unit unit = units.getIfExists();
        if (unit != null) {
            unit.ops.add(op);
            return unit;                     // its round is known once the unit is enqueued
        }
        return enqueue(op);
    }

    /**
     * Writes a session's record: now, or, inside a unit, once when the unit ends, however often the session changed
     * in it (each change rewrites the whole record, so per change it would grow with the square of the filters).
     */
    Written submitRecord(DiskSession session) {
        Unit unit = units.getIfExists();
        if (unit != null) {
            unit.recordOf(session);
            return unit;
        }
        Op op = session.recordOp();
        return op == null ? Written.DONE : enqueue(op);
    }

    /**
     * A message left its session (acknowledged, dropped): its put is cancelled if no round has taken it yet, else
     * deleted in a later round. Cancelling needs no order with the put's unit: the commit thread skips a cancelled
     * put wherever it finds it, and a put it has taken can no longer be cancelled, so the delete is enqueued after it.
     */
    void forget(Op put) {
        if (put.cancel()) {
            cancelled.incrementAndGet();
        } else {
            submit(Op.delete(put.key()));
        }
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
        unit.addRecords();
        Written round = unit.ops.isEmpty() ? Written.DONE : enqueue(unit.ops.size() == 1 ? unit.ops.get(0) : unit.ops);
        unit.landsIn(round);
        return round;
    }

    /** The round the element lands in is the open one read after enqueueing it, or an earlier one. */
    private Written enqueue(Object element) {
        if (closed) {
            return Written.DONE;
        }
        queue.add(element);
        // the commit thread may swap rounds between the line above and the read of the open round, and take the
        // element into the round before: the one returned must still come, though nothing else is written
        return current();
    }

    /**
     * The open round, promised: it comes even with nothing queued, after everything submitted so far (which is in it
     * or in an earlier round), so waiting on it waits for all of that.
     */
    Batch current() {
        Batch b = open;
        b.promise();
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(thread);
        }
        return b;
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
        try (WriteOptions options = new WriteOptions().setSync(sync == Sync.BATCH);
             WriteBatch batch = new WriteBatch()) {              // one for every round: cleared, not remade
            while (true) {
                if (queue.isEmpty() && !open.isPromised()) {
                    if (closed) {
                        break;
                    }
                    idle();
                    continue;
                }
                gather();
                Batch round = open;
                open = new Batch();
                drain();                     // after the swap: everything enqueued before it is in this round
                commit(options, batch, round);
            }
        } catch (Throwable e) {
            failure = e;
            log.error("the disk store cannot write any more: {}; acknowledgements of persistent messages stop",
                    e.toString(), e);
        }
    }

    /**
     * Fewer, larger rounds under load: each round costs a WAL write, an fsync and a wake-up of every event loop it
     * answers, whatever it holds. When the last round answered many units (many clients waiting on the log), the next
     * one waits up to {@link #GATHER_NANOS} from the last one's start, or until {@link #GATHER_WRITES} writes are
     * in, taking in what arrives meanwhile. A lone or sequential client never waits: its rounds are small.
     */
    private void gather() {
        if (lastElements >= GATHER_MIN_ELEMENTS) {
            long until = lastRoundNanos + GATHER_NANOS;
            long left;
            while (ops.size() < GATHER_WRITES && (left = until - System.nanoTime()) > GATHER_SLICE_NANOS / 5
                    && !closed) {
                LockSupport.parkNanos(this, Math.min(left, GATHER_SLICE_NANOS));
                drain();
            }
        }
        lastRoundNanos = System.nanoTime();
    }

    /** Moves what is queued into the round's writes; counts the elements (units and single writes). */
    @SuppressWarnings("unchecked")
    private void drain() {
        Object element;
        while ((element = queue.poll()) != null) {
            elements++;
            if (element instanceof Op op) {
                ops.add(op);
            } else {
                ops.addAll((List<Op>) element);
            }
        }
    }

    private void idle() throws RocksDBException {
        sleeping.set(true);
        if (queue.isEmpty() && !open.isPromised() && !closed) {
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

    private void commit(WriteOptions options, WriteBatch batch, Batch round) throws RocksDBException {
        lastElements = elements;
        elements = 0;
        int n = 0;
        long size = 0;
        batch.clear();
        for (int i = 0, count = ops.size(); i < count; i++) {
            Op op = ops.get(i);
            if (op.markWritten()) {          // else acknowledged before written: neither it nor a delete is written
                add(batch, op);
                n++;
                size += op.size();
                op.dropValue();
            }
        }
        db.write(options, batch);
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
