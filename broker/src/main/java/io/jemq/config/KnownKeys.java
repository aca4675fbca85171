package io.jemq.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The keys jemq understands in {@code etc/emq.conf}, so that a misspelt key is reported with its line instead of
 * silently doing nothing. Known means: a key that a part of jemq reads, declared by that part next to the code that
 * reads it ({@link ConfigKeys}: each settings class here, other modules through {@link ConfigKeys.Source}), or a key of
 * the shipped {@code etc/emq.conf} that a later part of jemq will read ({@link #SHIPPED_NOT_YET_READ}). EMQ keys that
 * have no meaning in jemq (Erlang VM tuning, EMQ's own logger) are accepted with one INFO line so an EMQ file loads
 * without a warning per line.
 */
public final class KnownKeys {
    private static final Logger log = LoggerFactory.getLogger(KnownKeys.class);

    /**
     * Keys of the shipped etc/emq.conf (commented-out ones included) that nothing reads yet: the part that comes to
     * read one declares it and takes it out of here. {@code auth.} and {@code plugins.} are the plugins' families
     * (their own files use them; an emq.conf may too), {@code cluster.} the cluster's.
     */
    static final ConfigKeys SHIPPED_NOT_YET_READ = ConfigKeys.of(
            "node.cookie",
            "mqtt.mqueue.store_qos0").withPrefixes("auth.", "plugins.", "cluster.");

    /**
     * Keys of the shipped etc/emq.conf that modules beside the core read (management: $SYS presence, sysmon, alarms,
     * trace; the dashboard: its listener). Each module declares them itself through {@link ConfigKeys.Source}; they
     * are repeated here because the core's own tests check the shipped file without those modules on the class path.
     */
    static final ConfigKeys READ_BESIDE_THE_CORE = ConfigKeys.of(
            "sysmon.long_gc",
            "sysmon.long_schedule",
            "sysmon.large_heap",
            "sysmon.busy_port",
            "sysmon.busy_dist_port",
            "dashboard.listener",
            "dashboard.listener.acceptors",
            "dashboard.listener.max_clients").withPrefixes("module.", "alarm.", "trace.");

    /** What the broker core reads, each declared by the class that reads it. */
    private static final List<ConfigKeys> CORE = List.of(BrokerSettings.KEYS, NodeSettings.KEYS, MqttSettings.KEYS,
            SessionSettings.KEYS, QueueSettings.KEYS, RetainerSettings.KEYS, AccessSettings.KEYS, BudgetSettings.KEYS,
            ListenerBlocks.KEYS, StorageSettings.KEYS, SHIPPED_NOT_YET_READ, READ_BESIDE_THE_CORE);

    /** The exact keys of {@link #CORE} and of every {@link ConfigKeys.Source} on the class path. */
    static final Set<String> KEYS;
    /** The families read as a whole: listener blocks, auth plugins, plugin settings, cluster, retainer, ACL. */
    static final List<String> PREFIXES;

    static {
        List<ConfigKeys> all = new ArrayList<>(CORE);
        ServiceLoader.load(ConfigKeys.Source.class, KnownKeys.class.getClassLoader())
                .forEach(source -> all.add(source.configKeys()));
        Set<String> keys = new HashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (ConfigKeys k : all) {
            keys.addAll(k.keys());
            prefixes.addAll(k.prefixes());
        }
        KEYS = Set.copyOf(keys);
        PREFIXES = List.copyOf(prefixes);
    }

    /** EMQ 2.x keys with no effect in jemq: the Erlang VM's tuning, EMQ's logger, EMQ-internal pools and stats. */
    static final Set<String> EMQ_ONLY = Set.of(
            "node.smp",
            "node.heartbeat",
            "node.kernel_poll",
            "node.async_threads",
            "node.process_limit",
            "node.max_ports",
            "node.dist_buffer_size",
            "node.max_ets_tables",
            "node.fullsweep_after",
            "node.crash_dump",
            "node.dist_net_ticktime",
            "node.dist_listen_min",
            "node.dist_listen_max",
            "mqtt.conn.force_gc_count",
            "mqtt.client.enable_stats",
            "mqtt.client.max_publish_rate",
            "mqtt.session.enable_stats",
            "mqtt.mqueue.type",
            "mqtt.mqueue.priority",
            "mqtt.pubsub.pool_size",
            "mqtt.pubsub.by_clientid",
            "mqtt.pubsub.async",
            "mqtt.bridge.max_queue_len",
            "mqtt.bridge.ping_down_interval");

    /** EMQ's logger settings: jemq logs through Logback, configured on its own. */
    private static final String EMQ_LOG_PREFIX = "log.";

    private KnownKeys() {
    }

    public static boolean isKnown(String key) {
        return KEYS.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** An EMQ key that jemq accepts and ignores because it has no meaning here. */
    public static boolean isEmqOnly(String key) {
        return EMQ_ONLY.contains(key) || key.startsWith(EMQ_LOG_PREFIX);
    }

    /**
     * Logs one WARN per unknown key, with its origin and the nearest known key when one is a likely typo, and one INFO
     * line for the EMQ-only keys. Never fails: an unknown key is most often a setting of a newer EMQ.
     */
    public static void report(ConfFile file) {
        List<String> ignored = new ArrayList<>();
        for (String key : file.keys()) {
            String origin = file.origin(key).orElseThrow();
            if (isEmqOnly(key)) {
                ignored.add(key + " (" + origin + ")");
            } else if (!isKnown(key)) {
                String hint = nearest(key).map(k -> " (did you mean " + k + "?)").orElse("");
                log.warn("{}: unknown key {}, ignored{}", origin, key, hint);
            }
        }
        if (!ignored.isEmpty()) {
            log.info("Ignoring {} EMQ setting(s) that have no effect in jemq: {}", ignored.size(),
                    String.join(", ", ignored));
        }
    }

    /** The known key within two edits of {@code key}, if any: a typo such as mqtt.max_packet_sise. */
    private static Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : KEYS) {
            int d = distance(key, known, bestDistance);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance, or {@code limit} as soon as it is certain to reach it. */
    private static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit);
    }
}
