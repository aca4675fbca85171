package io.jemq.session;

import io.jemq.config.QueueSettings;
import io.jemq.flow.PausedPublishers;

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
    private final QueueSettings settings;
    private final SessionQueue queue;
    /** Deliveries routed to the session and not yet handled by its loop. */
    private final IntSupplier inboxed;
    private final PausedPublishers pausedPublishers = new PausedPublishers();
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
        pausedPublishers.add(resume);
        if (!isCongested()) {
            resumePublishers();    // cleared between the publisher's check and its registration
        }
    }

    void forgetPaused(Runnable resume) {
        pausedPublishers.remove(resume);
    }

    int pausedPublisherCount() {
        return pausedPublishers.size();
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
            } else if (!pausedPublishers.isEmpty()) {
                resumePublishers(); // paused on an inbox burst that has drained without filling the queue
            }
        } else if (!connected || backlog <= settings.lowMark()) {
            congested = false;     // before resuming: a publisher registering now sees it clear
            resumePublishers();
        } else if (!pausedPublishers.isEmpty() && inbox <= settings.lowMark() && isStalled()) {
            resumePublishers();    // paused on an inbox burst, now handled: the stalled queue holds nobody back
        }
    }

    /** The session ended: nobody is held back any more. */
    void clear() {
        congested = false;
        resumePublishers();
    }

    private void resumePublishers() {
        pausedPublishers.resumeAll();
    }
}
