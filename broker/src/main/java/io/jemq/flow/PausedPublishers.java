package io.jemq.flow;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The resume callbacks of the publishers a {@link Congestible} holds back. A resume takes the callbacks waiting when
 * it starts, in one swap, and runs them; a publisher that registers meanwhile found the target behind again and
 * waits for the next one. Polling until none was left resumed that publisher at once: a resuming thread preempted in
 * its poll loop resumed it each time it paused again, one message more each time into a backlog that thread could not
 * drain meanwhile, and a subscriber's queue overflowed (docs/reliability.md, FlowControlIT).
 *
 * <p>Threads: any, lock-free. Registrations are rare (one per pause), so the array is copied on each.
 */
public final class PausedPublishers {
    private static final Runnable[] NONE = {};

    private final AtomicReference<Runnable[]> waiting = new AtomicReference<>(NONE);

    public void add(Runnable resume) {
        waiting.updateAndGet(now -> {
            Runnable[] more = Arrays.copyOf(now, now.length + 1);
            more[now.length] = resume;
            return more;
        });
    }

    public void remove(Runnable resume) {
        waiting.updateAndGet(now -> {
            Runnable[] left = Arrays.stream(now).filter(r -> r != resume).toArray(Runnable[]::new);
            return left.length == 0 ? NONE : left;
        });
    }

    public int size() {
        return waiting.get().length;
    }

    public boolean isEmpty() {
        return waiting.get().length == 0;
    }

    /** Runs the callbacks waiting now, each once; those registered while they run wait for the next call. */
    public void resumeAll() {
        for (Runnable r : waiting.getAndSet(NONE)) {
            r.run();
        }
    }
}
