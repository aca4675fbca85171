package io.jemq.mgmt.sys;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * EMQ's {@code long_schedule} on the JVM: is an event loop stuck in one task? Every period a tiny probe task is
 * posted to each loop that has none waiting; a probe that has waited longer than the threshold means the loop is busy
 * with something long (a blocking call, a huge batch), and is reported once, with what the loop's thread is doing
 * now. Costs each loop one empty task per period. Runs on the module's thread ({@link #check}); the probes on the
 * loops only write two volatile fields.
 */
final class LoopProbe {
    private final long thresholdNanos;
    private final List<Probe> probes = new ArrayList<>();
    private final BiConsumer<String, String> report;

    /** One loop's probe: posted (nanos, 0 when none waits), and the loop's thread once a probe has run. */
    private static final class Probe {
        final EventExecutor loop;
        volatile long postedAt;
        volatile Thread thread;
        boolean reported;

        Probe(EventExecutor loop) {
            this.loop = loop;
        }
    }

    LoopProbe(EventExecutorGroup loops, long thresholdMillis, BiConsumer<String, String> report) {
        this.thresholdNanos = thresholdMillis * 1_000_000;
        this.report = report;
        for (EventExecutor e : loops) {
            probes.add(new Probe(e));
        }
    }

    void check() {
        long now = System.nanoTime();
        for (Probe p : probes) {
            long posted = p.postedAt;
            if (posted != 0) {
                long waited = now - posted;
                if (waited >= thresholdNanos && !p.reported) {
                    p.reported = true;
                    report.accept("long_schedule", "long_schedule warning: thread = " + threadName(p) + ", info: "
                            + "busy with one task for " + waited / 1_000_000 + "ms" + where(p.thread));
                }
                continue;
            }
            p.reported = false;
            p.postedAt = now;
            try {
                p.loop.execute(() -> {
                    p.thread = Thread.currentThread();
                    p.postedAt = 0;
                });
            } catch (RejectedExecutionException e) {
                p.postedAt = 0;                 // the loop is shutting down
            }
        }
    }

    private static String threadName(Probe p) {
        return p.thread == null ? p.loop.toString() : p.thread.getName();
    }

    /** The top of the busy thread's stack, when known: where the long task is. */
    private static String where(Thread t) {
        if (t == null) {
            return "";
        }
        StackTraceElement[] stack = t.getStackTrace();
        StringBuilder sb = new StringBuilder(", at");
        for (int i = 0; i < Math.min(3, stack.length); i++) {
            sb.append(i == 0 ? " " : " < ").append(stack[i]);
        }
        return sb.toString();
    }
}
