package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.ClientOptions;
import io.jemq.bench.client.Front;
import io.jemq.bench.client.Inbound;
import io.jemq.bench.client.RefusedException;
import io.jemq.bench.client.Transport;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * What every scenario does around its own traffic: connect, warm up, measure, let the tail drain, disconnect, and print
 * one result line. Runs on the main thread; the traffic itself runs on the transport's event loops.
 */
abstract class Scenario implements Callable<Integer> {
    /** Exit code for a run that could not be carried out (unreachable broker, refused connection, time-out). */
    static final int FAILED = 2;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** Keeps the client ids and topics of concurrent or successive runs apart. */
    final String runId = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36
            * 36 * 36 * 36), 36);

    Transport transport;
    Front front;
    Progress progress;

    @Override
    public Integer call() {
        String name = spec.name();
        try (Transport t = new Transport(common.threads);
             Progress p = new Progress(name, spec.commandLine().getErr(), !common.noProgress)) {
            transport = t;
            front = common.front();
            progress = p;
            Result result = execute();
            spec.commandLine().getOut().println(result.line());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (BenchException e) {
            spec.commandLine().getErr().println("loadgen " + name + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("loadgen " + name + ": interrupted");
            return FAILED;
        }
    }

    /** The scenario proper; returns the figures to print. */
    abstract Result execute() throws InterruptedException;

    /** A result with the fields every scenario reports. Made at the end of a run, when TLS has been negotiated. */
    Result result() {
        Result result = new Result(spec.name())
                .put("broker", common.brokerName())
                .put("mqtt", common.version == MqttVersion.MQTT_5 ? "5" : "3.1.1")
                .put("transport", transport.name())
                .put("transport_security", front.isTls() ? "tls" : "plain")
                .put("ws", front.isWebSocket());
        if (front.isTls()) {
            result.put("tls_engine", front.tlsEngine()).put("tls_session", front.negotiated());
        }
        return result;
    }

    /** The options of a client of {@code role} ({@code p} publisher, {@code s} subscriber: see --pub-port). */
    ClientOptions clientOptions(String role) {
        return new ClientOptions(common.broker(role), common.version, common.keepAliveSeconds, front, common.username,
                common.password, common.persistent);
    }

    /** Short ids (at most 23 characters, as MQTT 3.1.1 brokers must accept) that no other run uses. */
    String clientId(String role, int index) {
        return "jb" + runId + "-" + role + index;
    }

    CompletableFuture<BenchClient> startConnect(String role, int index, SocketAddress local, Inbound inbound) {
        return BenchClient.connect(transport, clientOptions(role), clientId(role, index), local, inbound);
    }

    /** Connects {@code count} clients at once and waits for all of their CONNACKs. */
    List<BenchClient> connectAll(String role, int count, IntFunction<Inbound> inbound) throws InterruptedException {
        List<CompletableFuture<BenchClient>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pending.add(startConnect(role, i, null, inbound.apply(i)));
        }
        List<BenchClient> clients = new ArrayList<>(count);
        for (CompletableFuture<BenchClient> f : pending) {
            InetSocketAddress to = common.broker(role);
            clients.add(await(f, "connect to " + to.getHostString() + ":" + to.getPort()));
        }
        return clients;
    }

    void subscribeAll(Collection<BenchClient> clients, String filter, MqttQoS qos) throws InterruptedException {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (BenchClient c : clients) {
            pending.add(c.subscribe(filter, qos));
        }
        for (CompletableFuture<Void> f : pending) {
            await(f, "subscribe to " + filter);
        }
        sleep(common.routeSettleSeconds);
    }

    /** Waits for a CONNACK or SUBACK, turning each way it can fail into a message a person understands. */
    <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(CommonOptions.nanos(common.connectTimeoutSeconds), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new BenchException("cannot " + what + ": no answer within " + common.connectTimeoutSeconds + " s");
        } catch (ExecutionException e) {
            throw failure(what, e.getCause());
        }
    }

    static BenchException failure(String what, Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ConnectException) {
            return new BenchException("cannot " + what + ": " + c.getMessage()
                    + " (is the broker running and listening there?)");
        }
        if (c instanceof RefusedException) {
            return new BenchException("cannot " + what + ": " + c.getMessage());
        }
        return new BenchException("cannot " + what + ": " + c);
    }

    /**
     * What happened inside the measured window.
     *
     * @param perSecond       how much the measured counter grew per second
     * @param count           how much it grew
     * @param loadgenCores    CPU used by the load generator, in cores (1.0 is one core busy all the time)
     * @param brokerCores     CPU used by the broker in cores, or -1 without {@code --broker-pid}
     */
    record Window(double perSecond, long count, double loadgenCores, double brokerCores) {
        /** Broker CPU microseconds per counted message, or -1 when unknown. */
        double brokerMicrosPerMessage(double seconds) {
            return brokerCores < 0 || count == 0 ? -1 : brokerCores * seconds * 1e6 / count;
        }
    }

    /** Warm-up, then the measured window. */
    Window measure(LongSupplier counter, Runnable onWindowStart) throws InterruptedException {
        CpuClock cpu = new CpuClock(common.brokerPid);
        progress.phase("warmup");
        sleep(common.warmupSeconds);
        long start = System.nanoTime();
        long before = counter.getAsLong();
        long selfBefore = cpu.selfNanos();
        long brokerBefore = cpu.brokerNanos();
        onWindowStart.run();
        progress.phase("measure");
        sleep(common.durationSeconds);
        long after = counter.getAsLong();
        long elapsed = System.nanoTime() - start;
        double self = (double) (cpu.selfNanos() - selfBefore) / elapsed;
        double broker = brokerBefore < 0 ? -1 : (double) (cpu.brokerNanos() - brokerBefore) / elapsed;
        return new Window((after - before) * 1e9 / elapsed, after - before, self, broker);
    }

    /** Adds the CPU figures of a window to a result. */
    Result putCpu(Result result, Window window) {
        result.put("loadgen_cpu", String.format(Locale.ROOT, "%.2f", window.loadgenCores()));
        if (window.brokerCores() >= 0) {
            result.put("broker_cpu", String.format(Locale.ROOT, "%.2f", window.brokerCores()))
                    .put("broker_us_per_msg", String.format(Locale.ROOT, "%.3f",
                            window.brokerMicrosPerMessage(common.durationSeconds)));
        }
        return result;
    }

    /**
     * Waits for the messages still on their way: until {@code received} reaches {@code expected}, or nothing arrived
     * for the quiet period, or the drain time-out. Polls, because arrivals are spread over many event loops.
     */
    long drain(LongSupplier received, LongSupplier expected) throws InterruptedException {
        progress.phase("drain");
        long now = System.nanoTime();
        long deadline = now + CommonOptions.nanos(common.drainTimeoutSeconds);
        long quiet = CommonOptions.nanos(common.quietSeconds);
        long last = received.getAsLong();
        long lastChange = now;
        while (true) {
            long count = received.getAsLong();
            now = System.nanoTime();
            if (count >= expected.getAsLong() || now - deadline >= 0) {
                return count;
            }
            if (count != last) {
                last = count;
                lastChange = now;
            } else if (now - lastChange >= quiet) {
                return count;
            }
            Thread.sleep(10);
        }
    }

    /** Sends DISCONNECT on every client and waits (bounded) for the sockets to close. */
    void disconnectAll(Collection<BenchClient> clients) throws InterruptedException {
        progress.phase("close");
        List<CompletableFuture<Void>> closing = new ArrayList<>(clients.size());
        for (BenchClient c : clients) {
            closing.add(c.disconnect());
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            warn("not every connection closed cleanly: " + e);
        }
    }

    /** Counts the connections the broker dropped during the run, and says so on stderr. */
    long lostConnections(Collection<BenchClient> clients) {
        long lost = 0;
        for (BenchClient c : clients) {
            if (c.lostConnection()) {
                if (lost == 0) {
                    warn("the broker dropped " + c.clientId() + ": " + c.failure());
                }
                lost++;
            }
        }
        return lost;
    }

    void warn(String message) {
        spec.commandLine().getErr().println("loadgen " + spec.name() + ": warning: " + message);
        spec.commandLine().getErr().flush();
    }

    static void sleep(double seconds) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(CommonOptions.nanos(seconds));
    }
}
