package io.jemq.auth.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} requests in flight; more wait in line, up to {@code maxWaiting}, and start as slots free. Never
 * blocks: a start runs on the thread that submits it or on the one that frees a slot (an HTTP client thread).
 * Thread-safe, lock-free.
 */
final class InFlightLimit {
    private final int max;
    private final int maxWaiting;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    InFlightLimit(int max, int maxWaiting) {
        this.max = max;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Runs {@code start} now or when a slot frees; {@code start} must lead to one {@link #release()}.
     *
     * @return false when the line is full: nothing will run
     */
    boolean submit(Runnable start) {
        if (tryAcquire()) {
            start.run();
            return true;
        }
        if (waitingCount.incrementAndGet() > maxWaiting) {
            waitingCount.decrementAndGet();
            return false;
        }
        waiting.add(start);
        drain();                 // a slot may have freed between the failed acquire and joining the line
        return true;
    }

    void release() {
        inFlight.decrementAndGet();
        drain();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void drain() {
        while (!waiting.isEmpty() && tryAcquire()) {
            Runnable next = waiting.poll();
            if (next == null) {
                inFlight.decrementAndGet();       // somebody else took it meanwhile: give the slot back, look again
                continue;
            }
            waitingCount.decrementAndGet();
            next.run();
        }
    }

    private boolean tryAcquire() {
        while (true) {
            int n = inFlight.get();
            if (n >= max) {
                return false;
            }
            if (inFlight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
