package io.jemq.bench.scenario;

/**
 * The CPU the broker and the load generator used during one phase of a run, its pauses left out ({@link #stop} and
 * {@link #start} around them). A rate alone measures the load generator once its core is full; the broker's CPU per
 * unit of work does not. One scenario thread.
 */
final class PhaseCpu {
    private final CpuClock clock;
    private long brokerNanos;
    private long selfNanos;

    PhaseCpu(CpuClock clock) {
        this.clock = clock;
    }

    void start() {
        brokerNanos -= clock.brokerNanos();
        selfNanos -= clock.selfNanos();
    }

    void stop() {
        brokerNanos += clock.brokerNanos();
        selfNanos += clock.selfNanos();
    }

    long brokerNanos() {
        return brokerNanos;
    }

    long selfNanos() {
        return selfNanos;
    }
}
