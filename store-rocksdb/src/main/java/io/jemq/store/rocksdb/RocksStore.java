package io.jemq.store.rocksdb;

import io.jemq.config.StorageSettings;
import io.jemq.message.Message;
import io.jemq.store.RetainedMessages;
import io.jemq.store.SessionStore;
import io.jemq.store.Store;
import io.jemq.store.StoredSession;
import io.jemq.store.Written;
import io.jemq.sys.Alarms;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.VectorMemTableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The disk store: sessions, their queued and inflight messages, QoS 2 receipts and retained messages in one RocksDB
 * database under {@code mqtt.storage.dir}, written through a {@link CommitLog} (group commit). Opened by the broker's
 * constructor through {@link RocksStoreProvider}; what it holds is read back then ({@link Recovery}).
 *
 * <p>Threads: any. The disk budget is checked once a second on the {@code jemq-store-housekeeping} thread.
 */
final class RocksStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(RocksStore.class);
    /** A delivery's store key when the disk budget refused to write it: the session drops it. */
    static final long REFUSED = -1;
    static final String ALARM = "store_disk_full";

    static {
        RocksDB.loadLibrary();
    }

    private final StorageSettings settings;
    private final Alarms alarms;
    private final Options options;
    private final RocksDB db;
    private final CommitLog commits;
    private final DiskRetained retained;
    private final AtomicLong seq = new AtomicLong(1);
    private final AtomicInteger persistentSessions = new AtomicInteger();
    private final ScheduledExecutorService housekeeping;
    private final List<StoredSession> recovered;
    /** Handed to the broker once at start; see {@link SessionStore#willsOfExpired}. */
    private List<Message> dueWills;
    private volatile boolean full;
    private volatile long sizeBytes;

    private final SessionStore sessions = new SessionStore() {
        @Override
        public StoredSession create(String clientId, long createdAtMillis) {
            return new DiskSession(RocksStore.this, clientId, createdAtMillis);
        }

        @Override
        public List<StoredSession> recovered() {
            return recovered;
        }

        @Override
        public List<Message> willsOfExpired() {
            List<Message> due = dueWills;
            dueWills = List.of();
            return due;
        }
    };

    RocksStore(StorageSettings settings, long maxRetained, Alarms alarms) throws RocksDBException {
        this.settings = settings;
        this.alarms = alarms;
        this.options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setParanoidChecks(true).setMaxTotalWalSize(256L << 20).setKeepLogFileNum(3);
        // the commit thread is the only writer and nothing reads the memory table but recovery's one scan: a vector
        // (appends, sorted when flushed) costs a third less per write than the default skip list
        options.setMemTableConfig(new VectorMemTableConfig()).setAllowConcurrentMemtableWrite(false);
        try {
            Files.createDirectories(settings.dir());
            this.db = RocksDB.open(options, settings.dir().toString());
        } catch (Exception e) {
            options.close();
            throw new StoreUnreadableException(settings.dir(), e.getMessage(), e);
        }
        this.commits = new CommitLog(db, settings.sync(), settings.syncInterval().toNanos());
        this.retained = new DiskRetained(maxRetained, commits);
        try {
            Recovery recovery = new Recovery(this, db);
            this.recovered = recovery.run();
            this.dueWills = recovery.dueWills();
        } catch (RuntimeException e) {
            close();
            throw new StoreUnreadableException(settings.dir(), e.getMessage(), e);
        }
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jemq-store-housekeeping");
            t.setDaemon(true);
            return t;
        });
        checkSize();
        housekeeping.scheduleWithFixedDelay(this::checkSize, 1, 1, TimeUnit.SECONDS);
    }

    CommitLog log() {
        return commits;
    }

    DiskRetained diskRetained() {
        return retained;
    }

    long nextSeq() {
        return seq.getAndIncrement();
    }

    /** Recovery saw this key: new keys come after it. */
    void seen(long key) {
        seq.accumulateAndGet(key + 1, Math::max);
    }

    void sessionPersisted(int delta) {
        persistentSessions.addAndGet(delta);
    }

    boolean isFull() {
        return full;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public RetainedMessages retained() {
        return retained;
    }

    @Override
    public void beginUnit() {
        commits.beginUnit();
    }

    @Override
    public Written endUnit() {
        return commits.endUnit();
    }

    /** The size on disk against mqtt.storage.max_disk: past it new messages for persistent sessions are refused. */
    private void checkSize() {
        try {
            long size = Long.parseLong(db.getProperty("rocksdb.total-sst-files-size"))
                    + Long.parseLong(db.getProperty("rocksdb.cur-size-all-mem-tables")) + walSize();
            sizeBytes = size;
            long max = settings.maxDisk();
            if (max <= 0) {
                return;
            }
            if (!full && size >= max) {
                full = true;
                alarms.raise(ALARM, "the disk store holds " + size + " bytes, mqtt.storage.max_disk is " + max
                        + ": new messages for persistent sessions are dropped until it shrinks");
            } else if (full && size < max * 9 / 10) {
                full = false;
                alarms.clear(ALARM);
            }
        } catch (RuntimeException | RocksDBException e) {
            log.debug("disk store size check failed: {}", e.toString());
        }
    }

    private long walSize() {
        try (var files = Files.list(settings.dir())) {
            return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Flushes the memory tables and compacts the whole key range: tombstones of acknowledged messages go. */
    @Override
    public String compact() {
        long before = sizeBytes;
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            db.compactRange();
        } catch (RocksDBException e) {
            return "compaction failed: " + e.getMessage();
        }
        checkSize();
        return "compacted: " + before + " -> " + sizeBytes + " bytes";
    }

    @Override
    public Map<String, Object> figures() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("type", "disk");
        f.put("dir", settings.dir().toString());
        f.put("sync", settings.sync().name().toLowerCase(java.util.Locale.ROOT));
        f.put("size_bytes", sizeBytes);
        f.put("max_disk_bytes", settings.maxDisk());
        f.put("full", full);
        try {
            f.put("keys_estimate", Long.parseLong(db.getProperty("rocksdb.estimate-num-keys")));
        } catch (RocksDBException | RuntimeException e) {
            f.put("keys_estimate", -1);
        }
        f.put("persistent_sessions", persistentSessions.get());
        f.put("retained", retained.size());
        f.put("commit_rounds", commits.rounds());
        f.put("writes", commits.writes());
        f.put("acknowledged_before_written", commits.cancelled());
        f.put("bytes_written", commits.bytesWritten());
        long last = commits.lastSyncMillis();
        f.put("last_sync", last == 0 ? "never" : Instant.ofEpochMilli(last).toString());
        return f;
    }

    Path dir() {
        return settings.dir();
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        commits.close();
        db.close();
        options.close();
    }
}
