package io.jemq.bench.scenario;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this process and, optionally, by the broker. On a shared machine throughput moves with the
 * neighbours' load; CPU time per message moves much less, and it shows whether the load generator had headroom.
 */
final class CpuClock {
    /** Linux reports /proc/PID/stat times in clock ticks, USER_HZ, which is 100 on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Long brokerPid;

    CpuClock(Long brokerPid) {
        this.brokerPid = brokerPid;
    }

    long selfNanos() {
        return os.getProcessCpuTime();
    }

    /** The broker's user + system time, or -1 without a broker PID. */
    long brokerNanos() {
        if (brokerPid == null) {
            return -1;
        }
        Path stat = Path.of("/proc", brokerPid.toString(), "stat");
        try {
            String line = Files.readString(stat);
            // fields after the command name, which is in parentheses and may itself contain spaces
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            throw new BenchException("cannot read the broker's CPU time from " + stat + ": " + e.getMessage());
        }
    }
}
