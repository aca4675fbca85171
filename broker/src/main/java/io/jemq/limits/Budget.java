package io.jemq.limits;

import io.jemq.sys.Alarms;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * One memory budget: bytes reserved before something is allocated and released when it is freed. The count is a
 * {@link LongAdder} (no contention between event loops); a reservation that races another may overshoot the limit
 * by one reservation, which a budget can afford. The first refusal raises an alarm; it clears once use is back
 * under 80 %. Thread-safe.
 */
public final class Budget {
    private final String name;
    private final long limit;
    private final Alarms alarms;
    private final LongAdder used = new LongAdder();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private volatile boolean alarmed;

    /** @param limit the bytes allowed; 0 or less: no limit */
    public Budget(String name, long limit, Alarms alarms) {
        this.name = name;
        this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
        this.alarms = alarms;
    }

    /** @return whether {@code bytes} more fit now, without reserving them (a refusal raises the alarm) */
    public boolean fits(long bytes) {
        if (limit != Long.MAX_VALUE && used.sum() + bytes > limit) {
            refused();
            return false;
        }
        return true;
    }

    /** @return whether {@code bytes} more fit; if so they are now reserved */
    public boolean tryReserve(long bytes) {
        if (!fits(bytes)) {
            return false;
        }
        used.add(bytes);
        return true;
    }

    /** Reserves {@code bytes} whatever the limit: for what replaces something about to be released. */
    public void reserve(long bytes) {
        used.add(bytes);
    }

    private void refused() {
        if (!alarmed) {
            alarmed = true;
            alarms.raise(alarmId(), "the memory budget for " + name + " (" + limit + " bytes) is spent");
        }
    }

    public void release(long bytes) {
        used.add(-bytes);
        if (alarmed && used.sum() < limit / 10 * 8) {
            alarmed = false;
            alarms.clear(alarmId());
        }
        Runnable waiter;
        while ((waiter = waiters.poll()) != null) {
            waiter.run();
        }
    }

    /** Runs {@code retry} (on the releasing thread) at the next release: for a reservation that was refused. */
    public void whenReleased(Runnable retry) {
        waiters.add(retry);
    }

    public long used() {
        return used.sum();
    }

    /** @return the limit in bytes, {@link Long#MAX_VALUE} when there is none */
    public long limit() {
        return limit;
    }

    public String name() {
        return name;
    }

    private String alarmId() {
        return "budget_" + name;
    }
}
