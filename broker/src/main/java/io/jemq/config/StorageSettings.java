package io.jemq.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where persistent sessions and retained messages are kept (docs/durability.md).
 *
 * @param mode         {@code mqtt.storage} (disk): {@code disk} needs the store-rocksdb module on the class path;
 *                     {@code memory} keeps everything in RAM, gone with the process (EMQ 2.x's behaviour)
 * @param dir          {@code mqtt.storage.dir} (store): the disk store's directory; a relative path is below
 *                     {@code node.data_dir}
 * @param sync         {@code mqtt.storage.sync} (batch): when a write counts as durable, see {@link Sync}
 * @param syncInterval {@code mqtt.storage.sync_interval} (1s): how often {@code interval} syncs the log
 * @param maxDisk      {@code mqtt.storage.max_disk} (0 = no limit): the disk store's size budget; past it new
 *                     messages for persistent sessions are refused and an alarm is raised
 */
public record StorageSettings(Mode mode, Path dir, Sync sync, Duration syncInterval, long maxDisk) {

    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.storage", "mqtt.storage.dir", "mqtt.storage.sync",
            "mqtt.storage.sync_interval", "mqtt.storage.max_disk");

    /** Which store the broker uses. */
    public enum Mode { DISK, MEMORY }

    /** When the disk store tells a write durable (and so when a publisher gets its PUBACK / PUBREC). */
    public enum Sync {
        /** After the write-ahead log of the batch holding it is synced to disk: survives a power loss. */
        BATCH,
        /** After it is in the log; the log is synced every sync_interval: a power loss loses that much. */
        INTERVAL,
        /** After it is in the log; the operating system syncs when it likes: survives a process crash only. */
        NONE
    }

    /** Reads the {@code mqtt.storage*} keys; the directory is resolved against the node's data directory. */
    public static StorageSettings from(ConfFile f, Path dataDir) {
        Path dir = NodeSettings.path(f, "mqtt.storage.dir", "store");
        return new StorageSettings(
                f.oneOf("mqtt.storage", Mode.class, Mode.DISK),
                dataDir.resolve(dir),
                f.oneOf("mqtt.storage.sync", Sync.class, Sync.BATCH),
                f.duration("mqtt.storage.sync_interval", "1s", Duration.ofMillis(1), Duration.ofMinutes(10)),
                f.parsed("mqtt.storage.max_disk", 0L, "a size such as 10GB, or 0 for no limit",
                        StorageSettings::size));
    }

    private static Long size(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"TB", "1099511627776"}, {"GB", "1073741824"}, {"MB", "1048576"},
                {"KB", "1024"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).strip();
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            return n < 0 || n > Long.MAX_VALUE / unit ? null : n * unit;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
