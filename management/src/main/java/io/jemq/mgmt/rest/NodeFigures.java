package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.cluster.NodeDirectory.Report;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A node's figures in EMQ 2.3's shapes: this node's read now, another node's from the report it shares through the
 * cluster ({@link io.jemq.cluster.NodeDirectory}, a few seconds old at most). The JVM stands in for the Erlang VM:
 * {@code otp_release} names the Java runtime, {@code process_used} counts live threads and
 * {@code process_available} the file descriptors the process may open (what bounds its connections).
 *
 * <p>Threads: management's request threads, and the cluster module's timer for {@link #report()}.
 */
final class NodeFigures {
    static final String INFO = "info";
    static final String MONITORING = "monitoring";
    static final String METRICS = "metrics";
    static final String STATS = "stats";
    private static final String STARTED_AT = "started_at";

    private final Broker broker;
    private final Node node;

    NodeFigures(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    /** What this node tells the other nodes of a cluster about itself (plain serialisable maps). */
    Map<String, Object> report() {
        Map<String, Object> m = new HashMap<>();
        m.put(STARTED_AT, node.startedAt().toEpochMilli());
        m.put(INFO, info());
        m.put(MONITORING, monitoring());
        m.put(METRICS, new HashMap<>(broker.counters().snapshot()));
        m.put(STATS, new HashMap<>(broker.counters().stats()));
        return m;
    }

    /** {@code management/nodes}' object for this node. */
    Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", node.name());
        m.put("version", Node.version());
        m.put("sysdescr", Node.SYSDESCR);
        m.put("uptime", node.uptime());
        m.put("datetime", Node.datetime(System.currentTimeMillis()));
        m.put("otp_release", otpRelease());
        m.put("node_status", "Running");
        return m;
    }

    /** {@code monitoring/nodes}' object for this node. */
    Map<String, Object> monitoring() {
        Runtime rt = Runtime.getRuntime();
        double[] load = load();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", node.name());
        m.put("otp_release", otpRelease());
        m.put("memory_total", rt.maxMemory());
        m.put("memory_used", rt.totalMemory() - rt.freeMemory());
        m.put("process_available", maxFds());
        m.put("process_used", ManagementFactory.getThreadMXBean().getThreadCount());
        m.put("max_fds", maxFds());
        m.put("clients", broker.connectionCount());
        m.put("node_status", "Running");
        m.put("load1", String.format(Locale.ROOT, "%.2f", load[0]));
        m.put("load5", String.format(Locale.ROOT, "%.2f", load[1]));
        m.put("load15", String.format(Locale.ROOT, "%.2f", load[2]));
        return m;
    }

    /**
     * Another node's object of {@code management/nodes} ({@link #INFO}) or {@code monitoring/nodes}
     * ({@link #MONITORING}): its last report, with its uptime counted to now; {@code {name, node_status:"Stopped"}}
     * for a node gone without leaving, as EMQ shows a stopped node.
     */
    static Map<String, Object> of(Report r, String section) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.node());
        if (!r.running()) {
            m.put("node_status", "Stopped");
            return m;
        }
        if (r.figures().get(section) instanceof Map<?, ?> reported) {
            reported.forEach((k, v) -> m.put(String.valueOf(k), v));
        }
        if (section.equals(INFO) && r.figures().get(STARTED_AT) instanceof Long start) {
            m.put("uptime", Node.uptime(Instant.ofEpochMilli(start)));
            m.put("datetime", Node.datetime(System.currentTimeMillis()));
        }
        m.put("node_status", "Running");
        return m;
    }

    /** Another running node's metrics or stats as it last reported them (empty before its first report). */
    static Map<?, ?> counters(Report r, String section) {
        return r.figures().get(section) instanceof Map<?, ?> m ? m : Map.of();
    }

    static String otpRelease() {
        return "Java/" + Runtime.version();
    }

    private static long maxFds() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** The 1, 5 and 15 minute load averages: /proc/loadavg on Linux, else the JVM's 1-minute figure alone. */
    private static double[] load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                Double.parseDouble(parts[2])};
        } catch (Exception e) {
            double one = Math.max(0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            return new double[] {one, 0, 0};
        }
    }
}
