package io.jemq.sys;

import java.util.concurrent.atomic.LongAdder;

/**
 * One listener's row of the counter table: handed to the listener's transport handlers when it is bound, so that
 * counting costs an array index and a {@link LongAdder} increment, never a lookup by listener id. Bumped from every
 * event loop; read by exporters on any thread.
 */
public final class ListenerCounters {
    private final String listenerId;
    private final LongAdder[] adders = Counters.adders(ListenerCounter.values().length);

    ListenerCounters(String listenerId) {
        this.listenerId = listenerId;
    }

    public void bump(ListenerCounter c) {
        adders[c.ordinal()].increment();
    }

    public long get(ListenerCounter c) {
        return adders[c.ordinal()].sum();
    }

    public String listenerId() {
        return listenerId;
    }
}
