package io.jemq.flow;

/**
 * Something publishers send to that can fall behind and tells when it has caught up: a local subscriber (its queue
 * past the high watermark) or a cluster link to another node (its connection not writable). A publisher whose
 * message went to one that {@link #isCongested} pauses reading ({@link PublisherPause}) until it drains.
 *
 * <p>Threads: every method from any thread (the publishers' event loops), cheap and never blocking; the drain
 * callbacks run on the congested side's own thread, so they must hop to their loop themselves.
 */
public interface Congestible {

    /** Whether a publisher sending to it now should pause reading. */
    default boolean isCongested() {
        return false;
    }

    /** A paused publisher asks to be resumed once this drains; runs at once if it is not congested. */
    default void whenDrained(Runnable resume) {
        resume.run();
    }

    /** A publisher that asked {@link #whenDrained} closed: its callback is dropped. */
    default void forgetPaused(Runnable resume) {
    }
}
