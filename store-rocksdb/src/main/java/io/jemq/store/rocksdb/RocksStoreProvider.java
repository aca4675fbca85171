package io.jemq.store.rocksdb;

import io.jemq.config.BrokerSettings;
import io.jemq.config.StorageSettings;
import io.jemq.ctl.ControlCommands;
import io.jemq.store.Store;
import io.jemq.store.StoreProvider;
import io.jemq.sys.Alarms;

/**
 * {@code mqtt.storage = disk}: the RocksDB store. Found with ServiceLoader by the broker's constructor
 * ({@code META-INF/services/io.jemq.store.StoreProvider}).
 */
public final class RocksStoreProvider implements StoreProvider {

    @Override
    public StorageSettings.Mode mode() {
        return StorageSettings.Mode.DISK;
    }

    @Override
    public Store open(BrokerSettings settings, Alarms alarms, ControlCommands commands) throws Exception {
        return new RocksStore(settings.storage(), settings.retainer().maxMessageNum(), alarms);
    }
}
