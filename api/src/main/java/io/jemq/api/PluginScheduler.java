package io.jemq.api;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;

/**
 * Timed tasks for a plugin: cache expiry, reconnect attempts, health probes. The broker runs every plugin's tasks on
 * one shared scheduler thread, so a task must be short and must not block: hand blocking work to
 * {@link PluginContext#blockingExecutor()}. A task that throws is logged and, when periodic, keeps its schedule. All
 * of a plugin's tasks are cancelled when it is unloaded; afterwards scheduling throws
 * {@link RejectedExecutionException}. Thread-safe.
 */
public interface PluginScheduler {
    /** Runs {@code task} once after {@code delay}. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay);

    /** Runs {@code task} after {@code initialDelay}, then every {@code period} (start to start). */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period);

    /** Runs {@code task} after {@code initialDelay}, then {@code delay} after each run ends. */
    ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration delay);
}
