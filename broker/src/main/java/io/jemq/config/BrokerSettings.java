package io.jemq.config;

import java.time.Duration;
import java.util.List;

/**
 * Everything the broker core reads from {@code etc/emq.conf}, typed and validated. Built once by
 * {@code BrokerSettings.from(ConfFile)}; nothing outside {@code config/} reads raw keys.
 *
 * @param nodeName    {@code node.name}, the node in {@code $SYS/brokers/<node>/…}
 * @param sysInterval {@code mqtt.broker.sys_interval}; zero disables the periodic $SYS publish
 */
public record BrokerSettings(
        String nodeName,
        MqttSettings mqtt,
        SessionSettings session,
        QueueSettings mqueue,
        RetainerSettings retainer,
        SharedStrategy sharedStrategy,
        Duration sysInterval,
        List<ListenerSettings> listeners) {

    /** Reads and validates every key the core uses; warns (log) about unknown keys. STUB until the config layer lands. */
    public static BrokerSettings from(ConfFile file) {
        throw new UnsupportedOperationException("stub");
    }
}
