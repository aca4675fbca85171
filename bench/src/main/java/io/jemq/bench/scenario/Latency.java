package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import io.jemq.bench.client.PublishTemplate;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.ScheduledFuture;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency at a fixed rate: a QoS 1 publisher stamps {@link System#nanoTime()} into each payload, a QoS 1
 * subscriber in the same process records now minus stamp. Both clients share the process clock, so no clock sync.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "1 QoS 1 publisher at a fixed rate -> 1 QoS 1 subscriber; reports p50/p99/p99.9/max latency in "
                + "microseconds.")
public final class Latency extends Scenario {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Option(names = "--rate", defaultValue = "10000", description = "messages/s (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--payload", defaultValue = "64",
            description = "payload bytes, at least 8 for the timestamp (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--tick-us", defaultValue = "100",
            description = "pacing tick in microseconds: each tick sends what is due (default: ${DEFAULT-VALUE})")
    long tickMicros;

    @Option(names = "--max-in-flight", defaultValue = "1000",
            description = "unacknowledged messages after which the publisher waits (default: ${DEFAULT-VALUE})")
    int maxInFlight;

    @Override
    Result execute() throws InterruptedException {
        if (payload < Long.BYTES) {
            throw new BenchException("--payload must be at least " + Long.BYTES + " bytes");
        }
        String topic = "bench/" + runId + "/latency";
        Recorder recorder = new Recorder();
        BenchClient subscriber = connectAll("s", 1, i -> recorder).get(0);
        subscribeAll(List.of(subscriber), topic, MqttQoS.AT_LEAST_ONCE);
        Sender sender = new Sender(PublishTemplate.of(common.version, topic, MqttQoS.AT_LEAST_ONCE,
                PublishTemplate.filler(payload)));
        BenchClient publisher = connectAll("p", 1, i -> sender).get(0);
        sender.client = publisher;
        List<BenchClient> everyone = List.of(subscriber, publisher);

        progress.start(recorder::received, "msg", () -> "sent=" + sender.sent + " received=" + recorder.received()
                + " in_flight=" + sender.inFlight + " stalls=" + sender.stalls);
        publisher.eventLoop().execute(sender::start);
        Window measured = measure(recorder::received, recorder::startWindow);
        recorder.endWindow();
        stop(sender);
        long sent = sender.sent;
        long received = drain(recorder::received, () -> sent);
        Histogram h = snapshot(subscriber, recorder);
        long dropped = lostConnections(everyone);
        disconnectAll(everyone);

        return putCpu(result()
                .put("rate", (long) rate)
                .put("payload", payload)
                .put("duration_s", common.durationSeconds)
                .put("msgs_per_s", Math.round(measured.perSecond()))
                .put("samples", h.getTotalCount())
                .put("p50_us", micros(h.getValueAtPercentile(50)))
                .put("p90_us", micros(h.getValueAtPercentile(90)))
                .put("p99_us", micros(h.getValueAtPercentile(99)))
                .put("p999_us", micros(h.getValueAtPercentile(99.9)))
                .put("max_us", micros(h.getMaxValue()))
                .put("mean_us", h.getMean() / 1e3)
                .put("sent", sent)
                .put("received", received)
                .put("lost", Math.max(0, sent - received))
                .put("stalls", sender.stalls)
                .put("lost_connections", dropped), measured);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private void stop(Sender sender) throws InterruptedException {
        await(CompletableFuture.runAsync(sender::stop, sender.client.eventLoop()), "stop the publisher");
    }

    /** The histogram is written on the subscriber's loop: copy it there. */
    private Histogram snapshot(BenchClient subscriber, Recorder recorder) throws InterruptedException {
        return await(CompletableFuture.supplyAsync(recorder.histogram::copy, subscriber.eventLoop()), "read latencies");
    }

    /** Sends what the clock says is due at every tick, stamped with the time it leaves. */
    private final class Sender implements Inbound {
        private final PublishTemplate template;
        private BenchClient client;
        private ScheduledFuture<?> ticker;
        private long startNanos;
        private int nextId = 1;
        private volatile int inFlight;
        private volatile long sent;
        private volatile long stalls;

        Sender(PublishTemplate template) {
            this.template = template;
        }

        void start() {
            startNanos = System.nanoTime();
            ticker = client.eventLoop().scheduleAtFixedRate(this::tick, 0, tickMicros, TimeUnit.MICROSECONDS);
        }

        void stop() {
            ticker.cancel(false);
        }

        @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the publisher's event loop
        private void tick() {
            long due = (long) ((System.nanoTime() - startNanos) * rate / 1e9) - sent;
            if (due <= 0) {
                return;
            }
            while (due > 0 && inFlight < maxInFlight) {
                client.send(template.render(client.alloc(), nextId, System.nanoTime()));
                nextId = nextId == 65_535 ? 1 : nextId + 1;
                inFlight++;
                sent++;
                due--;
            }
            if (due > 0) {
                stalls++;
            }
            client.flush();
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public void onPubAck(BenchClient c, int packetId) {
            inFlight--;
        }
    }

    /**
     * Records the latency of every message, those sent inside the measured window in {@link #histogram}, the others
     * in a second histogram. The choice between the two is arithmetic, not a branch: a branch never taken in the
     * warm-up is compiled away, and taking it for the first time at the window's start deoptimized the whole read
     * path of this process (Netty's decoder, {@code FrameReader}, this method), which made the first 1.3 s of every
     * window slow for either broker.
     */
    private static final class Recorder extends Receiver {
        /** Far enough ahead that no stamp reaches it before the window is set, near enough not to overflow. */
        private static final long NOT_YET = TimeUnit.DAYS.toNanos(1);
        private final Histogram[] byPlace = {new Histogram(HIGHEST_NANOS, 3), new Histogram(HIGHEST_NANOS, 3)};
        private final Histogram histogram = byPlace[0];
        private volatile long windowStart = System.nanoTime() + NOT_YET;
        private volatile long windowEnd = windowStart + NOT_YET;

        void startWindow() {
            windowStart = System.nanoTime();
        }

        void endWindow() {
            windowEnd = System.nanoTime();
        }

        @Override
        public void onPublish(BenchClient client, ByteBuf buffer, int index, int length) {
            long now = System.nanoTime();
            super.onPublish(client, buffer, index, length);
            long stamp = buffer.getLong(index);
            // 1 when sent before the window or at/after its end, else 0: the sign bits of the two differences
            long outside = ((stamp - windowStart) >>> 63) | (~(stamp - windowEnd) >>> 63);
            byPlace[(int) outside].recordValue(Math.min(now - stamp, HIGHEST_NANOS));
        }
    }
}
