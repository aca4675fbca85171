package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.config.ListenerSettings;
import io.jemq.mgmt.http.Routes;
import io.jemq.protocol.ClientSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code management/nodes}, {@code monitoring/nodes}, {@code monitoring/listeners}, {@code monitoring/metrics} and
 * {@code monitoring/stats}, each for every node and for one ({@code .../{node}}), in EMQ 2.3's shapes. The JVM stands
 * in for the Erlang VM: {@code otp_release} names the Java runtime, {@code process_used} counts live threads and
 * {@code process_available} the file descriptors the process may open (what bounds its connections).
 */
public final class NodesApi {
    private final Broker broker;
    private final Node node;

    public NodesApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/management/nodes", c -> done(List.of(info())))
                .get("/api/v2/management/nodes/{node}", c -> {
                    node.check(c);
                    return done(info());
                })
                .get("/api/v2/monitoring/nodes", c -> done(List.of(monitoring())))
                .get("/api/v2/monitoring/nodes/{node}", c -> {
                    node.check(c);
                    return done(monitoring());
                })
                .get("/api/v2/monitoring/listeners", c -> listeners().thenApply(l -> List.of(Map.of(node.name(), l))))
                .get("/api/v2/monitoring/listeners/{node}", c -> {
                    node.check(c);
                    return listeners();
                })
                .get("/api/v2/monitoring/metrics", c -> done(List.of(Map.of(node.name(),
                        broker.counters().snapshot()))))
                .get("/api/v2/monitoring/metrics/{node}", c -> {
                    node.check(c);
                    return done(broker.counters().snapshot());
                })
                .get("/api/v2/monitoring/stats", c -> done(List.of(Map.of(node.name(), broker.counters().stats()))))
                .get("/api/v2/monitoring/stats/{node}", c -> {
                    node.check(c);
                    return done(broker.counters().stats());
                });
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    private Map<String, Object> info() {
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

    private Map<String, Object> monitoring() {
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

    private CompletableFuture<List<Map<String, Object>>> listeners() {
        return broker.clients().list().thenApply(clients -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ListenerSettings l : broker.settings().listeners()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("protocol", "mqtt:" + l.protocol());
                m.put("listen", l.host() + ":" + boundPort(l));
                m.put("acceptors", l.acceptors());
                m.put("max_clients", l.maxClients());
                m.put("current_clients", clients.stream().map(ClientSnapshot::listenerId)
                        .filter(l.id()::equals).count());
                m.put("shutdown_count", List.of());
                out.add(m);
            }
            return out;
        });
    }

    private int boundPort(ListenerSettings l) {
        try {
            return broker.boundPort(l.id());
        } catch (RuntimeException notBound) {
            return l.port();
        }
    }

    private static String otpRelease() {
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
