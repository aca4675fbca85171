package io.jemq.store.rocksdb;

import io.jemq.config.StorageSettings.Sync;
import io.jemq.store.Written;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CommitLogTest {
    @TempDir
    Path dir;
    private Options options;
    private RocksDB db;
    private CommitLog log;

    @BeforeEach
    void open() throws RocksDBException {
        RocksDB.loadLibrary();
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, dir.toString());
        log = new CommitLog(db, Sync.NONE, 0);
    }

    @AfterEach
    void close() {
        log.close();
        db.close();
        options.close();
    }

    @Test
    void theLastWriteOfABurstIsDurableThoughNothingIsWrittenAfterIt() throws Exception {
        // the last write of a burst can land in the round the commit thread is taking while it is told of the next
        // one; that next round must still come, though the log falls quiet after it
        for (int burst = 0; burst < 5_000; burst++) {
            for (int i = 0; i < 40; i++) {
                log.submit(Op.put(key("k-" + i), new byte[16]));
            }
            CountDownLatch done = new CountDownLatch(1);
            Written last = burst % 2 == 0 ? log.current() : log.submit(Op.put(key("last"), new byte[16]));
            last.whenDone(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).as("burst %d's last write durable", burst).isTrue();
        }
    }

    @Test
    void aRoundPromisedWithNothingQueuedComes() throws Exception {
        // what a write whose element the commit thread took into the round before is left with: the open round,
        // promised, and nothing queued for it
        for (int i = 0; i < 100; i++) {
            CountDownLatch done = new CountDownLatch(1);
            log.current().whenDone(done::countDown);
            assertThat(done.await(5, TimeUnit.SECONDS)).as("promised round %d came", i).isTrue();
        }
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
