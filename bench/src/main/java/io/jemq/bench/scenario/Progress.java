package io.jemq.bench.scenario;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The status line printed on stderr every second, so a person can see a run is alive and how fast it goes. */
final class Progress implements AutoCloseable {
    private final String scenario;
    private final PrintWriter err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase = "connect";
    private long lastCount;

    Progress(String scenario, PrintWriter err, boolean enabled) {
        this.scenario = scenario;
        this.err = err;
        this.enabled = enabled;
    }

    /** Starts printing; {@code counter} is what the per-second rate is computed from, in {@code unit}s. */
    void start(LongSupplier counter, String unit, Supplier<String> detail) {
        if (!enabled) {
            return;
        }
        timer.scheduleAtFixedRate(() -> {
            long count = counter.getAsLong();
            long rate = count - lastCount;
            lastCount = count;
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            err.println(String.format(Locale.ROOT, "[%s %3ds %-7s] %,d %s/s  %s",
                    scenario, seconds, phase, rate, unit, detail.get()));
            err.flush();
        }, 1, 1, TimeUnit.SECONDS);
    }

    void phase(String name) {
        phase = name;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
