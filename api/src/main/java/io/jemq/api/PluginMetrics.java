package io.jemq.api;

/**
 * A plugin's own counters, such as {@code auth/success} or {@code query/timeout}, kept by the broker per plugin so
 * management can read them ({@code $SYS}, REST, Prometheus) next to the broker's. Got from
 * {@link PluginContext#metrics()}; counters start at zero when the plugin is loaded. Thread-safe: bump from any
 * thread, event loops included (a bump is a striped add, no lock, no allocation).
 */
public interface PluginMetrics {
    /**
     * The counter of that name, made on first use; the same name always gives the same counter. Look it up once (at
     * create) and keep it.
     *
     * @param name lower case words separated by {@code /}, {@code _} or {@code .}, such as {@code auth/success}
     * @throws IllegalArgumentException for an empty name or one with other characters
     */
    Counter counter(String name);

    /** One monotonic count. */
    interface Counter {
        void increment();

        /** @param n zero or more */
        void add(long n);

        /** The count so far (a sum across stripes: exact when nothing bumps it meanwhile). */
        long get();
    }
}
