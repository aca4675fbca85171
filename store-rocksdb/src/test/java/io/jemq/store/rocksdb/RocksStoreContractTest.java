package io.jemq.store.rocksdb;

import io.jemq.config.StorageSettings;
import io.jemq.store.Store;
import io.jemq.store.StoreContract;
import io.jemq.sys.Alarms;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

/** The disk store does what every store does (sessions that are not persistent: nothing of it reaches the disk). */
class RocksStoreContractTest extends StoreContract {
    @TempDir
    Path dir;
    private int stores;

    @Override
    protected Store newStore(long maxRetained) {
        StorageSettings settings = new StorageSettings(StorageSettings.Mode.DISK, dir.resolve("store" + stores++),
                StorageSettings.Sync.BATCH, Duration.ofSeconds(1), 0);
        try {
            return new RocksStore(settings, maxRetained, new Alarms());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
