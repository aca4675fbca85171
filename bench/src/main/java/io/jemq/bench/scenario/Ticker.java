package io.jemq.bench.scenario;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Drives QoS 0 publishers with one 1 ms tick per event loop, not one per publisher: a hundred publishers each with its
 * own timer cost the load generator more CPU in timer bookkeeping than in sending.
 */
final class Ticker {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Map<EventLoop, List<Qos0Publisher>> byLoop = new LinkedHashMap<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();

    Ticker(List<Qos0Publisher> publishers) {
        for (Qos0Publisher p : publishers) {
            byLoop.computeIfAbsent(p.client().eventLoop(), loop -> new ArrayList<>()).add(p);
        }
    }

    void start() {
        byLoop.forEach((loop, group) -> {
            loop.execute(() -> group.forEach(Qos0Publisher::start));
            ticks.add(loop.scheduleAtFixedRate(() -> group.forEach(Qos0Publisher::tick),
                    PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS));
        });
    }

    /** Stops every publisher; when this returns their sent counts are final. */
    void stop() throws InterruptedException {
        ticks.forEach(t -> t.cancel(false));
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        byLoop.forEach((loop, group) -> stopped.add(CompletableFuture.runAsync(
                () -> group.forEach(Qos0Publisher::stop), loop)));
        try {
            CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("publishers did not stop: " + e);
        }
    }
}
