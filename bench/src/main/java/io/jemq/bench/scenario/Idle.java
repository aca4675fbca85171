package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many idle connections: how fast they are accepted, and what each costs the broker in resident memory (and in live
 * heap, for a JVM broker). Source addresses rotate over 127.0.0.2, 127.0.0.3, ... because binding a source port takes
 * it for that address alone, and one address has only the ~28k ports of the ephemeral range.
 */
@Command(name = "idle", mixinStandardHelpOptions = true,
        description = "Opens C idle connections at a bounded rate; reports connections/s and, given --broker-pid, the "
                + "broker's resident memory per connection (and, for a broker on a JVM, its live heap per connection, "
                + "from jcmd's class histogram).")
public final class Idle extends Scenario {
    @Option(names = {"-c", "--connections"}, defaultValue = "15000",
            description = "connections (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--connect-rate", defaultValue = "5000",
            description = "most new connections per second (default: ${DEFAULT-VALUE})")
    double connectRate;

    @Option(names = "--max-pending", defaultValue = "500",
            description = "most handshakes waiting for their CONNACK at once (default: ${DEFAULT-VALUE})")
    int maxPending;

    @Option(names = "--source-addresses", defaultValue = "16",
            description = "how many of 127.0.0.2, 127.0.0.3, ... to connect from (default: ${DEFAULT-VALUE})")
    int sourceAddresses;

    @Option(names = "--hold", defaultValue = "2",
            description = "seconds to hold the connections open before reading the broker's memory "
                    + "(default: ${DEFAULT-VALUE})")
    double holdSeconds;

    @Option(names = "--measure-from", defaultValue = "0",
            description = "connections open at the first memory reading (the others are held for --hold first): "
                    + "rss_per_conn_bytes is then what each connection after it cost, without the broker's start-up "
                    + "and heap sizing in it; 0 reads the idle broker (default: ${DEFAULT-VALUE})")
    int measureFrom;

    @Override
    Result execute() throws InterruptedException {
        if (sourceAddresses < 1 || sourceAddresses > 250) {
            throw new BenchException("--source-addresses must be between 1 and 250");
        }
        List<InetSocketAddress> sources = sources();
        long heapBefore = liveHeap();
        long rssBefore = common.brokerPid == null ? -1 : rssKib(common.brokerPid);

        ConcurrentLinkedQueue<BenchClient> open = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastConnAck = new AtomicLong();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Semaphore pending = new Semaphore(maxPending);
        progress.start(open::size, "conn", () -> "open=" + open.size() + " failed=" + failed.get()
                + " pending=" + (maxPending - pending.availablePermits()));
        progress.phase("connect");

        // the first connection alone: an unreachable broker is one clear message, not thousands of failures
        long start = System.nanoTime();
        PhaseCpu cpu = new PhaseCpu(new CpuClock(common.brokerPid));    // the connect phase's, the hold left out
        cpu.start();
        long rssFrom = rssBefore;
        open.add(await(startConnect("i", 0, sources.get(0), Inbound.NONE), "connect to " + common.brokerName()));
        lastConnAck.set(System.nanoTime());
        long gapNanos = (long) (1e9 / connectRate);
        for (int i = 1; i < connections; i++) {
            if (i == measureFrom) {
                long paused = System.nanoTime();
                cpu.stop();
                rssFrom = holdAndRead(pending);
                cpu.start();
                start += System.nanoTime() - paused;        // the pause is neither paced nor timed
            }
            paceAndAcquire(start + i * gapNanos, pending);
            startConnect("i", i, sources.get(i % sources.size()), Inbound.NONE).whenComplete((client, error) -> {
                if (error == null) {
                    open.add(client);
                    lastConnAck.accumulateAndGet(System.nanoTime(), Math::max);
                } else {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, error);
                }
                pending.release();
            });
        }
        awaitHandshakes(pending);
        long elapsed = lastConnAck.get() - start;
        cpu.stop();
        int connected = open.size();
        if (firstError.get() != null) {
            warn(failed.get() + " connections failed, the first with: " + failure("connect", firstError.get())
                    .getMessage());
        }

        progress.phase("hold");
        sleep(holdSeconds);
        long rssAfter = common.brokerPid == null ? -1 : rssKib(common.brokerPid);
        long heapAfter = heapBefore < 0 ? -1 : liveHeap();     // after the RSS reading: the histogram collects
        List<BenchClient> clients = new ArrayList<>(open);
        long dropped = lostConnections(clients);
        disconnectAll(clients);

        return withLiveHeap(report(connected, failed.get(), elapsed, dropped, rssBefore, rssFrom, rssAfter, cpu),
                heapBefore, heapAfter, connected);
    }

    /** The broker's live heap in bytes, -1 without --broker-pid or when it is not a JVM. */
    private long liveHeap() {
        return common.brokerPid == null ? -1 : LiveHeap.of(common.brokerPid);
    }

    private static Result withLiveHeap(Result result, long before, long after, int connected) {
        if (before >= 0 && after >= 0 && connected > 0) {
            result.put("live_heap_per_conn_bytes", Math.round((after - before) / (double) connected));
        }
        return result;
    }

    /** Waits until the connection is due, then for a free handshake slot. */
    private void paceAndAcquire(long dueNanos, Semaphore pending) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        if (!pending.tryAcquire(CommonOptions.nanos(common.connectTimeoutSeconds), TimeUnit.NANOSECONDS)) {
            throw new BenchException("handshakes stalled: " + maxPending + " waited more than "
                    + common.connectTimeoutSeconds + " s for a CONNACK");
        }
    }

    /** The first memory reading of --measure-from: once the connections so far are open and held. */
    private long holdAndRead(Semaphore pending) throws InterruptedException {
        awaitHandshakes(pending);
        progress.phase("hold");
        sleep(holdSeconds);
        progress.phase("connect");
        return common.brokerPid == null ? -1 : rssKib(common.brokerPid);
    }

    /** Every permit back means every handshake started so far has finished. */
    private void awaitHandshakes(Semaphore pending) throws InterruptedException {
        if (pending.tryAcquire(maxPending, CommonOptions.nanos(common.connectTimeoutSeconds) * 2,
                TimeUnit.NANOSECONDS)) {
            pending.release(maxPending);
        } else {
            warn("some handshakes never finished");
        }
    }

    private Result report(int connected, long failed, long elapsedNanos, long dropped, long rssBefore, long rssFrom,
                          long rssAfter, PhaseCpu cpu) {
        Result result = result()
                .put("connections", connections)
                .put("connected", connected)
                .put("failed", failed)
                .put("connect_s", elapsedNanos / 1e9)
                .put("conn_per_s", Math.round(connected * 1e9 / elapsedNanos))
                .put("lost_connections", dropped)
                .put("loadgen_cpu", Math.round(100.0 * cpu.selfNanos() / elapsedNanos) / 100.0);
        if (common.brokerPid != null) {
            result.put("broker_pid", common.brokerPid)
                    .put("broker_us_per_conn", connected == 0 ? 0 : Math.round(cpu.brokerNanos() / 100.0 / connected)
                            / 10.0)
                    .put("rss_before_kib", rssBefore)
                    .put("rss_after_kib", rssAfter)
                    .put("rss_per_conn_from_zero_bytes",
                            connected == 0 ? 0 : Math.round((rssAfter - rssBefore) * 1024.0 / connected));
            int measured = connected - Math.max(0, measureFrom);
            if (measureFrom > 0 && measured > 0) {
                result.put("measure_from", measureFrom).put("rss_from_kib", rssFrom);
            }
            result.put("rss_per_conn_bytes", measureFrom > 0 && measured > 0
                    ? Math.round((rssAfter - rssFrom) * 1024.0 / measured)
                    : connected == 0 ? 0 : Math.round((rssAfter - rssBefore) * 1024.0 / connected));
        }
        return result;
    }

    private List<InetSocketAddress> sources() {
        List<InetSocketAddress> out = new ArrayList<>(sourceAddresses);
        for (int i = 0; i < sourceAddresses; i++) {
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)}), 0));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("a literal address cannot be unknown", e);
            }
        }
        return out;
    }

    /** VmRSS of a process, in KiB, from /proc. */
    static long rssKib(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
            throw new BenchException(status + " has no VmRSS line");
        } catch (IOException e) {
            throw new BenchException("cannot read the broker's memory from " + status + ": " + e.getMessage());
        }
    }
}
