package io.jemq.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the broker hands a plugin when its {@link PluginFactory} makes it: its settings, threads it does not build
 * itself, its counters, the event bus and its failure policy. Valid from {@link PluginFactory#create} until the plugin
 * is closed; then the broker takes back everything it handed out, whether the plugin closed it or not: the executor
 * is shut down, scheduled tasks are cancelled, listeners are removed. If {@code create} fails, the same happens at
 * once. Thread-safe: use it from any thread.
 *
 * <p>Keys read by convention, under the plugin's {@link PluginFactory#settingsPrefix() prefix} ({@code auth.mysql}
 * for {@code emq_auth_mysql}):
 * <ul>
 *   <li>{@code <prefix>.pool} (8, from 1 to 1024): threads of {@link #blockingExecutor()}, as in EMQ's
 *       {@code auth.mysql.pool = 8}; size the backend's connection pool the same.</li>
 *   <li>{@code <prefix>.pool_queue} (128 per thread): requests waiting for a thread; beyond it they are refused.</li>
 *   <li>{@code <prefix>.on_error} ({@code deny} or {@code ignore}, default {@code deny}):
 *       {@link #failurePolicy()}.</li>
 * </ul>
 */
public interface PluginContext {
    /** The plugin's name, e.g. {@code emq_auth_mysql}. */
    String name();

    /** Its {@code etc/plugins/<name>.conf} (empty when there is no such file). */
    Settings settings();

    /**
     * The plugin's config file, {@code etc/plugins/<name>.conf} ({@code mqtt.plugins.etc_dir}), whether it exists or
     * not: where a plugin with {@link LiveSettings} writes changed settings back. Empty when the plugin was made
     * without one (an embedding that hands settings over in memory).
     */
    default Optional<Path> configFile() {
        return Optional.empty();
    }

    /** The broker's data directory, for a plugin's own files. */
    Path dataDir();

    /**
     * A bounded pool for blocking clients (JDBC, LDAP): {@code <prefix>.pool} threads named
     * {@code jemq-<plugin>-<n>}, {@code <prefix>.pool_queue} requests waiting. Threads start on demand and end when
     * idle. Beyond the queue, and once the plugin is closed, {@code execute} throws a
     * {@link RejectedExecutionException} saying so; {@link #callBlocking} turns that into a
     * {@link SourceUnavailableException}, so the failure policy answers. Never run blocking work on the thread that
     * asks a source (an event loop).
     */
    Executor blockingExecutor();

    /**
     * Runs {@code work} on {@link #blockingExecutor()}: the stage completes with its result, or exceptionally with
     * what it threw, or with a {@link SourceUnavailableException} when the pool refused it. Completes on a pool
     * thread; the chain brings the answer back to the client's event loop.
     */
    default <T> CompletableFuture<T> callBlocking(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            blockingExecutor().execute(() -> {
                try {
                    result.complete(work.call());
                } catch (Exception e) {
                    result.completeExceptionally(e);
                } catch (Error e) {
                    result.completeExceptionally(e);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new SourceUnavailableException(name(), e.getMessage()));
        }
        return result;
    }

    /** Timed tasks on the broker's shared scheduler thread, cancelled when the plugin closes. */
    PluginScheduler scheduler();

    /** The plugin's counters, kept by the broker under its name. */
    PluginMetrics metrics();

    /**
     * Listens to broker events until the plugin is closed (or {@link #removeListener}). The listener is called on
     * event loops and must never block (see {@link BrokerListener}).
     *
     * @throws IllegalStateException once the plugin is closed
     */
    void addListener(BrokerListener listener);

    /** Stops a listener added with {@link #addListener}; nothing when it is not registered. */
    void removeListener(BrokerListener listener);

    /**
     * What this plugin's sources answer when they fail ({@code <prefix>.on_error}). The chains apply it; a plugin
     * reads it only to say so (logs, its own caches: an answer caused by an outage must not be cached).
     */
    FailurePolicy failurePolicy();
}
