package io.jemq.mgmt.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * What {@code $SYS/brokers/<node>/version|sysdescr|uptime|datetime} and {@code ctl broker|status} say, in EMQ's
 * words and formats. Stateless; any thread.
 */
public final class BrokerInfo {
    public static final String SYSDESCR = "jemq MQTT broker, EMQ 2.x compatible";
    private static final String VERSION = readVersion();
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private BrokerInfo() {
    }

    /** The jemq version, stamped by the build. */
    public static String version() {
        return VERSION;
    }

    /** Local time as EMQ writes it: {@code 2026-12-06 10:30:01}. */
    public static String datetime(LocalDateTime now) {
        return DATETIME.format(now);
    }

    /**
     * EMQ's uptime text ({@code emqttd_broker:uptime/2}): {@code 7 seconds}, {@code 5 minutes, 7 seconds},
     * {@code 3 hours, 5 minutes, 7 seconds}, {@code 1 days,2 hours, 5 minutes, 7 seconds} (no space after
     * {@code days,}, as EMQ writes it).
     */
    public static String uptime(long seconds) {
        if (seconds < 60) {
            return seconds + " seconds";
        }
        return minutes(seconds / 60) + (seconds % 60) + " seconds";
    }

    private static String minutes(long m) {
        return m < 60 ? m + " minutes, " : hours(m / 60) + (m % 60) + " minutes, ";
    }

    private static String hours(long h) {
        return h < 24 ? h + " hours, " : (h / 24) + " days," + (h % 24) + " hours, ";
    }

    private static String readVersion() {
        try (InputStream in = BrokerInfo.class.getResourceAsStream("jemq-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
