package io.jemq.session;

import io.jemq.config.QueueSettings;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * Whether a session holds its publishers back: a connected session whose backlog (queue and inbox) is above the
 * high watermark is congested until it drains to the low one, unless its queue is stalled (a subscriber that stopped
 * reading must cost only itself). Publishers paused by it wait here for their resume callbacks.
 *
 * <p>Threads: {@link #update} runs on the session's owner loop; the checks and the registrations come from any
 * thread (the publishers' loops).
 */
final class Congestion {
    private static final Runnable[] NONE = {};

    private final QueueSettings settings;
    private final SessionQueue queue;
    /** Deliveries routed to the session and not yet handled by its loop. */
    private final IntSupplier inboxed;
    /** The resume callbacks of the publishers waiting now, replaced whole on each change (see resumePublishers). */
    private final AtomicReference<Runnable[]> pausedPublishers = new AtomicReference<>(NONE);
    private volatile boolean congested;
    private volatile boolean online;

    Congestion(QueueSettings settings, SessionQueue queue, IntSupplier inboxed) {
        this.settings = settings;
        this.queue = queue;
        this.inboxed = inboxed;
    }

    /** See {@link Session#isCongested()}. */
    boolean isCongested() {
        if (!online) {
            return congested;
        }
        // the inbox counts too: a burst sits there until the next drain, and must already hold publishers back
        int inbox = inboxed.getAsInt();
        if (inbox >= settings.highMark()) {
            return true;
        }
        return (congested || queue.length() + inbox >= settings.highMark()) && !isStalled();
    }

    /** See {@link Session#isStalled()}. */
    boolean isStalled() {
        return online && queue.notMovedFor(settings.stallTimeout().toNanos());
    }

    void whenDrained(Runnable resume) {
        pausedPublishers.updateAndGet(waiting -> {
            Runnable[] more = Arrays.copyOf(waiting, waiting.length + 1);
            more[waiting.length] = resume;
            return more;
        });
        if (!isCongested()) {
            resumePublishers();    // cleared between the publisher's check and its registration
        }
    }

    void forgetPaused(Runnable resume) {
        pausedPublishers.updateAndGet(waiting -> {
            Runnable[] left = Arrays.stream(waiting).filter(r -> r != resume).toArray(Runnable[]::new);
            return left.length == 0 ? NONE : left;
        });
    }

    int pausedPublisherCount() {
        return pausedPublishers.get().length;
    }

    /** A connection attached (its drain updates the rest). */
    void attached() {
        online = true;
    }

    boolean isOnline() {
        return online;
    }

    /** After the queue, the inbox or the connection changed: sets the flag and resumes publishers it frees. */
    void update(boolean connected) {
        online = connected;
        int inbox = inboxed.getAsInt();
        int backlog = queue.length() + inbox;
        if (!congested) {
            if (connected && backlog >= settings.highMark()) {
                congested = true;
            } else if (pausedPublishers.get().length > 0) {
                resumePublishers(); // paused on an inbox burst that has drained without filling the queue
            }
        } else if (!connected || backlog <= settings.lowMark()) {
            congested = false;     // before resuming: a publisher registering now sees it clear
            resumePublishers();
        } else if (pausedPublishers.get().length > 0 && inbox <= settings.lowMark() && isStalled()) {
            resumePublishers();    // paused on an inbox burst, now handled: the stalled queue holds nobody back
        }
    }

    /** The session ended: nobody is held back any more. */
    void clear() {
        congested = false;
        resumePublishers();
    }

    /**
     * Resumes the publishers waiting when this is called, taken in one swap. One that registers meanwhile found the
     * session behind again (the inbox counts at once) and waits for the next drain. Polling until the queue was empty
     * resumed it too: a loop preempted in that poll after waking a publisher's loop resumed that publisher each time
     * it paused again, a message more into a backlog the preempted loop could not drain, and the queue overflowed.
     */
    private void resumePublishers() {
        for (Runnable r : pausedPublishers.getAndSet(NONE)) {
            r.run();
        }
    }
}
