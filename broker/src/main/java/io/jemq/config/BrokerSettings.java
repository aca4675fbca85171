package io.jemq.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything the broker core reads from {@code etc/emq.conf}, typed and validated. Built once by
 * {@code BrokerSettings.from(ConfFile)}; nothing outside {@code config/} reads raw keys.
 *
 * @param nodeName    {@code node.name}, the node in {@code $SYS/brokers/<node>/…}
 * @param sysInterval {@code mqtt.broker.sys_interval}; zero disables the periodic $SYS publish
 * @param access      authentication, ACL and plugins
 * @param node        the node's data directory and control socket
 * @param storage     where persistent sessions and retained messages are kept ({@code mqtt.storage*})
 * @param file        the file as read, for the modules beside the core: each reads its own keys from it (declared
 *                    through {@link ConfigKeys.Source}, or under a family the core declares, such as {@code listener.})
 */
public record BrokerSettings(
        String nodeName,
        MqttSettings mqtt,
        SessionSettings session,
        QueueSettings mqueue,
        RetainerSettings retainer,
        SharedStrategy sharedStrategy,
        Duration sysInterval,
        List<ListenerSettings> listeners,
        AccessSettings access,
        NodeSettings node,
        BudgetSettings budgets,
        StorageSettings storage,
        ConfFile file) {

    static final ConfigKeys KEYS = ConfigKeys.of("node.name", "broker.shared_subscription_strategy",
            "mqtt.broker.sys_interval");

    /** {@code name@host}, without MQTT wildcards or slashes since it becomes a topic level. */
    private static final Pattern NODE_NAME = Pattern.compile("[^@\\s/+#]+@[^@\\s/+#]+");

    /** Reads and validates every key the core uses; warns (log) about unknown keys. */
    public static BrokerSettings from(ConfFile file) {
        KnownKeys.report(file);
        NodeSettings node = NodeSettings.from(file);
        return new BrokerSettings(
                file.parsed("node.name", "jemq@127.0.0.1", "a node name such as jemq@127.0.0.1",
                        name -> NODE_NAME.matcher(name).matches() ? name : null),
                MqttSettings.from(file),
                SessionSettings.from(file),
                QueueSettings.from(file),
                RetainerSettings.from(file),
                file.oneOf("broker.shared_subscription_strategy", SharedStrategy.class, SharedStrategy.RANDOM),
                file.duration("mqtt.broker.sys_interval", "1m"),
                ListenerBlocks.read(file),
                AccessSettings.from(file),
                node,
                BudgetSettings.from(file),
                StorageSettings.from(file, node.dataDir()),
                file);
    }

    /** What an empty etc/emq.conf gives: EMQ's defaults and one listener, tcp.external on 0.0.0.0:1883. */
    public static BrokerSettings defaults() {
        return from(ConfFile.of(Map.of()));
    }
}
