package io.jemq.plugin;

import io.jemq.api.BrokerListener;
import io.jemq.api.FailurePolicy;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.PluginScheduler;
import io.jemq.api.Settings;
import io.jemq.events.BrokerEvents;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the plugin loader gives one plugin, and takes back when it unloads: its executor, its scheduled tasks, its
 * listeners on the event bus; its counters stay readable until it is dropped. Reads {@code <prefix>.pool},
 * {@code <prefix>.pool_queue} and {@code <prefix>.on_error} from the plugin's settings. Thread-safe.
 */
final class LoadedPluginContext implements PluginContext {
    static final int DEFAULT_POOL = 8;
    static final int QUEUE_PER_THREAD = 128;

    private final String name;
    private final Settings settings;
    private final Path dataDir;
    private final Path configFile;
    private final FailurePolicy failurePolicy;
    private final BlockingPool pool;
    private final ScopedScheduler scheduler;
    private final PluginCounters counters = new PluginCounters();
    private final BrokerEvents events;
    private final List<BrokerListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** @throws io.jemq.api.ConfigException when one of the prefix's keys is set to something wrong */
    LoadedPluginContext(String name, String prefix, Settings settings, Path configFile, Path dataDir,
                        ScheduledExecutorService sharedScheduler, BrokerEvents events) {
        this.name = name;
        this.configFile = configFile;
        this.settings = settings;
        this.dataDir = dataDir;
        this.events = events;
        this.failurePolicy = settings.oneOf(prefix + ".on_error", FailurePolicy.class, FailurePolicy.DENY);
        int threads = settings.integer(prefix + ".pool", DEFAULT_POOL, 1, 1024);
        int queue = settings.integer(prefix + ".pool_queue", threads * QUEUE_PER_THREAD, 1, 1_000_000);
        this.pool = new BlockingPool(name, prefix + ".pool", threads, queue);
        this.scheduler = new ScopedScheduler(name, sharedScheduler);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Executor blockingExecutor() {
        return pool;
    }

    @Override
    public PluginScheduler scheduler() {
        return scheduler;
    }

    @Override
    public PluginMetrics metrics() {
        return counters;
    }

    @Override
    public synchronized void addListener(BrokerListener listener) {
        if (closed) {
            throw new IllegalStateException("plugin " + name + " is closed");
        }
        listeners.add(listener);
        events.add(listener);
    }

    @Override
    public synchronized void removeListener(BrokerListener listener) {
        if (listeners.remove(listener)) {
            events.remove(listener);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    PluginCounters counters() {
        return counters;
    }

    BlockingPool pool() {
        return pool;
    }

    ScopedScheduler scopedScheduler() {
        return scheduler;
    }

    /**
     * First half of closing, before the plugin's own {@code close}: no more events or timed tasks reach it and its
     * executor takes no new work, but what is queued may finish, for up to {@code graceMillis}, while the plugin's
     * connections are still open.
     */
    void quiesce(long graceMillis) {
        synchronized (this) {
            closed = true;
            listeners.forEach(events::remove);
            listeners.clear();
        }
        scheduler.close();
        pool.shutdown();
        pool.awaitIdle(graceMillis);
    }

    /** Second half, after the plugin's own {@code close}: whatever still runs on its executor is interrupted. */
    void release() {
        pool.shutdownNow();
    }

    /** Both halves, for a plugin that was never made (its factory failed). */
    void closeUnused() {
        quiesce(0);
        release();
    }
}
