package io.jemq.plugin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plugin's bounded executor for blocking clients: {@code threads} daemon threads named {@code jemq-<plugin>-<n>},
 * started on demand and ended after a minute idle, and at most {@code queue} tasks waiting. A task beyond that, or
 * after {@link #shutdown}, is refused with a {@link RejectedExecutionException} that says which plugin and why.
 * Handed to the plugin as a plain {@link Executor} so only the broker can shut it down.
 */
final class BlockingPool implements Executor {
    private static final Logger log = LoggerFactory.getLogger(BlockingPool.class);

    private final String plugin;
    private final String poolKey;
    private final ThreadPoolExecutor executor;

    BlockingPool(String plugin, String poolKey, int threads, int queue) {
        this.plugin = plugin;
        this.poolKey = poolKey;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, "jemq-" + plugin + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (r, e) -> {
                    throw refused(e);
                });
        executor.allowCoreThreadTimeOut(true);
    }

    private RejectedExecutionException refused(ThreadPoolExecutor e) {
        if (e.isShutdown()) {
            return new RejectedExecutionException("plugin " + plugin + " is closed");
        }
        return new RejectedExecutionException("plugin " + plugin + " is busy: all " + e.getMaximumPoolSize()
                + " threads of " + poolKey + " are working and " + e.getQueue().size() + " requests wait");
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    /** Refuses new work; what is queued still runs. */
    void shutdown() {
        executor.shutdown();
    }

    /** Waits up to {@code millis} for queued and running work to end; true when it did. */
    boolean awaitIdle(long millis) {
        try {
            return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops what still waits and interrupts what still runs. */
    void shutdownNow() {
        int dropped = executor.shutdownNow().size();
        if (dropped > 0) {
            log.warn("plugin {} closed with {} requests still waiting; they fail at mqtt.auth_timeout", plugin,
                    dropped);
        }
    }

    boolean isTerminated() {
        return executor.isTerminated();
    }

    /** Threads alive now (tests). */
    int threads() {
        return executor.getPoolSize();
    }
}
