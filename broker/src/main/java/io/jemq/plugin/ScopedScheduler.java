package io.jemq.plugin;

import io.jemq.api.PluginScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One plugin's view of the broker's shared scheduler thread: it remembers the plugin's tasks so {@link #close} can
 * cancel them all, logs a task that throws (a periodic one keeps its schedule) and refuses new tasks once closed.
 * Thread-safe.
 */
final class ScopedScheduler implements PluginScheduler {
    private static final Logger log = LoggerFactory.getLogger(ScopedScheduler.class);

    private final String plugin;
    private final ScheduledExecutorService shared;
    private final Set<ScheduledFuture<?>> tasks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ScopedScheduler(String plugin, ScheduledExecutorService shared) {
        this.plugin = plugin;
        this.shared = shared;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        // a one-shot task forgets itself when it has run, so a plugin scheduling many does not grow the set
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        Runnable guarded = guarded(task);
        Runnable once = () -> {
            try {
                guarded.run();
            } finally {
                ScheduledFuture<?> f = self.get();
                if (f != null) {
                    tasks.remove(f);
                }
            }
        };
        return track(() -> {
            ScheduledFuture<?> f = shared.schedule(once, nanos(delay), TimeUnit.NANOSECONDS);
            self.set(f);
            return f;
        });
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        return track(() -> shared.scheduleAtFixedRate(guarded(task), nanos(initialDelay), nanos(period),
                TimeUnit.NANOSECONDS));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay) {
        return track(() -> shared.scheduleWithFixedDelay(guarded(task), nanos(initialDelay), nanos(delay),
                TimeUnit.NANOSECONDS));
    }

    private synchronized ScheduledFuture<?> track(Supplier<ScheduledFuture<?>> scheduling) {
        if (closed) {
            throw new RejectedExecutionException("plugin " + plugin + " is closed");
        }
        ScheduledFuture<?> f = scheduling.get();
        if (!f.isDone()) {
            tasks.add(f);
        }
        return f;
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("plugin {}: a scheduled task failed", plugin, e);
            }
        };
    }

    /** Cancels every task of the plugin; scheduling fails from now on. */
    synchronized void close() {
        closed = true;
        tasks.forEach(f -> f.cancel(false));
        tasks.clear();
    }

    /** Tasks scheduled and not yet done (tests). */
    int pending() {
        tasks.removeIf(ScheduledFuture::isDone);
        return tasks.size();
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
