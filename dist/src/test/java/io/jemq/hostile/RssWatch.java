package io.jemq.hostile;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the broker's resident set size every 100 ms for the whole row and keeps the peak. */
final class RssWatch implements AutoCloseable {
    /**
     * What the broker process may take on top of its heap and direct memory limits: metaspace (~40 MB), code cache
     * (up to 48 MB), thread stacks, GC bookkeeping and malloc arenas. A quiet broker with the shipped conf has an
     * RSS of 90–150 MB, mostly a still small heap.
     */
    static final long ALLOWANCE_MB = 192;
    static final long BOUND_KIB = (BrokerProcess.HEAP_MB + BrokerProcess.DIRECT_MB + ALLOWANCE_MB) * 1024;

    private final BrokerProcess broker;
    private final AtomicLong peakKib = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-watch");
        t.setDaemon(true);
        return t;
    });

    RssWatch(BrokerProcess broker) {
        this.broker = broker;
        sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        if (broker.isAlive()) {
            try {
                peakKib.accumulateAndGet(broker.rssKib(), Math::max);
            } catch (RuntimeException | AssertionError e) {
                // the process ended between isAlive and the read: the row's liveness assertion reports it
            }
        }
    }

    long peakMib() {
        sample();
        return peakKib.get() / 1024;
    }

    long peakKib() {
        sample();
        return peakKib.get();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
