package io.jemq.mgmt.sys;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.config.ConfigKeys;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code $SYS} module reads from {@code etc/emq.conf}, typed; a bad value names file, line and key.
 *
 * @param node               {@code node.name}: the {@code <node>} of {@code $SYS/brokers/<node>/…}
 * @param interval           {@code mqtt.broker.sys_interval}: stats and metrics; zero: no periodic publish at all
 * @param presence           {@code module.presence}: publish {@code clients/<id>/connected|disconnected}
 * @param presenceQos        {@code module.presence.qos}
 * @param longGcMillis       {@code sysmon.long_gc}: a GC pause at least this long is reported; 0 = off
 * @param longScheduleMillis {@code sysmon.long_schedule}: an event loop busy this long with one task; 0 = off
 * @param largeHeap          {@code sysmon.large_heap}: heap in use after a GC above this is reported; 0 = off
 * @param busyPort           {@code sysmon.busy_port}: report connections closed because their writes were blocked
 * @param heapHighWatermark  {@code alarm.heap_high_watermark}: heap in use after a GC, as a fraction of the maximum,
 *                           that raises the {@code heap_memory_high_watermark} alarm; 0 = off
 * @param diskHighWatermark  {@code alarm.disk_high_watermark}: the share of the data directory's disk in use that
 *                           raises {@code disk_almost_full}; 0 = off
 * @param checkInterval      {@code alarm.check_interval}: how often the disk and the listeners are looked at
 */
public record SysSettings(String node, Duration interval, boolean presence, int presenceQos, long longGcMillis,
                          long longScheduleMillis, Threshold largeHeap, boolean busyPort, double heapHighWatermark,
                          double diskHighWatermark, Duration checkInterval) {

    static final ConfigKeys KEYS = ConfigKeys.of("module.presence", "module.presence.qos", "sysmon.long_gc",
            "sysmon.long_schedule", "sysmon.large_heap", "sysmon.busy_port", "sysmon.busy_dist_port",
            "alarm.heap_high_watermark", "alarm.disk_high_watermark", "alarm.check_interval");

    private static final Pattern MILLIS = Pattern.compile("(\\d+)\\s*(ms|s|m)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?|(\\d+(?:\\.\\d+)?)\\s*%");

    /** A limit given as a size ({@code 512MB}) or as a share of the maximum heap ({@code 80%}); 0 bytes = off. */
    public record Threshold(long bytes, double fraction) {
        public static final Threshold OFF = new Threshold(0, 0);

        /** The limit in bytes against a maximum; 0 when off. */
        public long of(long max) {
            return fraction > 0 ? (long) (max * fraction) : bytes;
        }
    }

    public static SysSettings from(BrokerSettings broker) {
        ConfFile f = broker.file();
        return new SysSettings(broker.nodeName(), broker.sysInterval(),
                f.bool("module.presence", true),
                f.integer("module.presence.qos", 1, 0, 2),
                f.parsed("sysmon.long_gc", 0L, "false or a duration in milliseconds such as 100",
                        SysSettings::millis),
                f.parsed("sysmon.long_schedule", 240L, "false or a duration in milliseconds such as 240",
                        SysSettings::millis),
                f.parsed("sysmon.large_heap", new Threshold(0, 0.8), "false, a size such as 512MB or a percentage",
                        SysSettings::threshold),
                f.bool("sysmon.busy_port", false),
                f.percentage("alarm.heap_high_watermark", "90%"),
                f.percentage("alarm.disk_high_watermark", "90%"),
                f.duration("alarm.check_interval", "10s", Duration.ofMillis(100), null));
    }

    /** {@code false}/{@code off}/{@code 0} (off), milliseconds ({@code 240}), or {@code 500ms}, {@code 2s}... */
    static Long millis(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("false") || t.equals("off")) {
            return 0L;
        }
        Matcher m = MILLIS.matcher(t);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n;
        };
    }

    static Threshold threshold(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.equals("FALSE") || t.equals("OFF")) {
            return Threshold.OFF;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            return null;
        }
        if (m.group(3) != null) {
            double p = Double.parseDouble(m.group(3)) / 100;
            return p > 0 && p <= 1 ? new Threshold(0, p) : null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return new Threshold(switch (unit) {
            case "KB" -> n << 10;
            case "MB" -> n << 20;
            case "GB" -> n << 30;
            default -> n;
        }, 0);
    }

    /** Declares these keys (ServiceLoader: {@code META-INF/services/io.jemq.config.ConfigKeys$Source}). */
    public static final class Keys implements ConfigKeys.Source {
        @Override
        public ConfigKeys configKeys() {
            return KEYS;
        }
    }
}
