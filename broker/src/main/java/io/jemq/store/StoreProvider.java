package io.jemq.store;

import io.jemq.config.BrokerSettings;
import io.jemq.config.StorageSettings;
import io.jemq.ctl.ControlCommands;
import io.jemq.sys.Alarms;

/**
 * Makes a {@link Store} for one value of {@code mqtt.storage}. Found with {@link java.util.ServiceLoader} (declared in
 * {@code META-INF/services/io.jemq.store.StoreProvider}) by the broker's constructor, on the thread that builds the
 * broker, before any session or listener exists: the disk store of the store-rocksdb module is one.
 */
public interface StoreProvider {

    /** The {@code mqtt.storage} value it serves. */
    StorageSettings.Mode mode();

    /**
     * Opens the store and reads back what it holds (sessions for {@link SessionStore#recovered()}, retained
     * messages). A store it cannot read is an exception whose message tells the operator what to do; the data is
     * never discarded.
     *
     * @param alarms   where the store raises its disk budget alarm
     * @param commands where it may register its {@code ctl} commands
     */
    Store open(BrokerSettings settings, Alarms alarms, ControlCommands commands) throws Exception;
}
