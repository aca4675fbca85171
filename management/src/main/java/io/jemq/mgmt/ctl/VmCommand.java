package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.config.ListenerSettings;
import io.jemq.ctl.ControlCommands;
import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vm [all|load|memory|process|io|ports]}: EMQ's Erlang VM figures, their JVM counterparts, in EMQ's line form
 * ({@code memory/heap_used      : 12345}): load averages; heap, non-heap and Netty's direct memory; threads for
 * processes; file descriptors; connections for ports.
 */
final class VmCommand extends CtlCommand {
    private static final List<String> PARTS = List.of("load", "memory", "process", "io", "ports");
    private final Broker broker;

    VmCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> usage() {
        return List.of(line("vm all", "Show info of the Java VM"),
                line("vm load", "Show load of the host"),
                line("vm memory", "Show memory of the Java VM"),
                line("vm process", "Show threads of the Java VM"),
                line("vm io", "Show file descriptors of the process"),
                line("vm ports", "Show connections of the broker"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        List<String> parts;
        if (args.size() == 0 || args.is("all")) {
            parts = PARTS;
        } else if (args.size() == 1 && PARTS.contains(args.get(0))) {
            parts = List.of(args.get(0));
        } else {
            return usage(out);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        for (String part : parts) {
            all.putAll(figures(part));
        }
        if (args.json()) {
            printJson(out, all);
        } else {
            all.forEach((k, v) -> {
                int slash = k.indexOf('/');
                out.println(String.format("%s/%-" + (24 - slash) + "s: %s", k.substring(0, slash),
                        k.substring(slash + 1), v));
            });
        }
        return ControlCommands.OK;
    }

    private Map<String, Object> figures(String part) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (part) {
            case "load" -> {
                OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
                double load = os.getSystemLoadAverage();
                m.put("cpu/load1", load < 0 ? "undefined" : String.format("%.2f", load));
                m.put("cpu/processors", os.getAvailableProcessors());
            }
            case "memory" -> {
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
                m.put("memory/heap_used", heap.getUsed());
                m.put("memory/heap_committed", heap.getCommitted());
                m.put("memory/heap_max", heap.getMax());
                m.put("memory/nonheap_used", nonHeap.getUsed());
                long direct = PlatformDependent.usedDirectMemory();          // -1 when Netty does not count it
                m.put("memory/direct_used", direct >= 0 ? direct
                        : PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                m.put("memory/direct_max", PlatformDependent.maxDirectMemory());
            }
            case "process" -> {
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                m.put("process/count", threads.getThreadCount());
                m.put("process/peak", threads.getPeakThreadCount());
            }
            case "io" -> {
                if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u) {
                    m.put("io/max_fds", u.getMaxFileDescriptorCount());
                    m.put("io/active_fds", u.getOpenFileDescriptorCount());
                }
            }
            default -> {
                m.put("ports/count", broker.connectionCount());
                m.put("ports/limit", broker.settings().listeners().stream()
                        .mapToLong(ListenerSettings::maxClients).sum());
            }
        }
        return m;
    }
}
