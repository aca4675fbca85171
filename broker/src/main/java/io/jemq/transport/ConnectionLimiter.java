package io.jemq.transport;

import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener's {@code max_clients}: counts open sockets and closes the ones beyond the limit at accept, before any
 * byte is read. Shared by every channel of one listener; the count is exact under churn (decremented exactly once,
 * when a channel it admitted closes). It also counts the listener's accepted and refused sockets in its row of the
 * counter table. Not a pipeline step: a step costs every connection a context object for the whole of its life,
 * a close-future listener nothing (the channel's close future holds this one shared object).
 *
 * <p>Threads: {@link #admit} on the new channel's event loop; any loop closes.
 */
final class ConnectionLimiter implements ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final String listenerId;
    private final int maxClients;
    private final Counters counters;
    private final ListenerCounters listenerCounters;
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    ConnectionLimiter(String listenerId, int maxClients, Counters counters) {
        this.listenerId = listenerId;
        this.maxClients = maxClients;
        this.counters = counters;
        this.listenerCounters = counters.listener(listenerId);
    }

    /** Counts {@code ch} in, or closes it when the listener is full; false when it was closed. */
    boolean admit(Channel ch) {
        if (current.incrementAndGet() > maxClients) {
            current.decrementAndGet();
            counters.bump(Counter.CONNECTIONS_REFUSED);
            listenerCounters.bump(ListenerCounter.REFUSED_MAX_CLIENTS);
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                log.warn("{}: refusing {}: max_clients ({}) reached", listenerId, ch.remoteAddress(), maxClients);
            }
            ch.close();
            return false;
        }
        listenerCounters.bump(ListenerCounter.ACCEPTED);
        ch.closeFuture().addListener(this);
        return true;
    }

    @Override
    public void operationComplete(ChannelFuture closed) {
        current.decrementAndGet();
    }

    int current() {
        return current.get();
    }
}
