package io.jemq.plugin;

import io.jemq.api.PluginMetrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * One plugin's counters ({@link PluginMetrics}), made on first use and bumped from any thread. Small on purpose: a
 * plugin's own figures, kept apart from the broker's counter table; management reads them through
 * {@link Plugins#metrics}.
 */
final class PluginCounters implements PluginMetrics {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([/_.-][a-z0-9]+)*");

    private final ConcurrentHashMap<String, Adder> counters = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name) {
        Adder c = counters.get(name);
        if (c != null) {
            return c;
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a counter name is lower case words separated by /, _, . or -, such "
                    + "as auth/success; got \"" + name + "\"");
        }
        return counters.computeIfAbsent(name, n -> new Adder());
    }

    /** Every counter's value now, by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, c) -> out.put(name, c.get()));
        return out;
    }

    private static final class Adder implements Counter {
        private final LongAdder sum = new LongAdder();

        @Override
        public void increment() {
            sum.increment();
        }

        @Override
        public void add(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("a counter only counts up; got " + n);
            }
            sum.add(n);
        }

        @Override
        public long get() {
            return sum.sum();
        }
    }
}
