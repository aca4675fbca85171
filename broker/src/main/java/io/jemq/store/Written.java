package io.jemq.store;

/**
 * When a store write is durable. The memory store's writes are as durable as they will ever be once the call
 * returns, so it answers {@link #DONE}, one shared object: waiting costs nothing and allocates nothing. A disk store
 * that commits in groups (a publisher's PUBACK waits until its message is on disk) answers an object its commit
 * thread completes later, shared by every write of the same group.
 *
 * <p>Callers check {@link #isDone()} first and only register a continuation when it is false; the continuation runs
 * on the thread that completes the write, so it must hop to its own event loop itself.
 */
public interface Written {

    /** A write that is already durable (every write of the memory store). */
    Written DONE = new Written() {
        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public void whenDone(Runnable action) {
            action.run();
        }

        @Override
        public String toString() {
            return "Written.DONE";
        }
    };

    boolean isDone();

    /** Runs {@code action} once the write is durable: at once, on the caller's thread, if it already is. */
    void whenDone(Runnable action);
}
