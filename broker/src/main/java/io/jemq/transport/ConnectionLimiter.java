package io.jemq.transport;

import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener's {@code max_clients}: counts open sockets and closes the ones beyond the limit at accept, before any
 * byte is read. Shared by every channel of one listener; the count is exact under churn (decremented exactly once,
 * when a channel it admitted goes inactive). Being the first step of every admitted socket, it also counts the
 * listener's accepted and refused sockets in its row of the counter table.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
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

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (current.incrementAndGet() > maxClients) {
            current.decrementAndGet();
            counters.bump(Counter.CONNECTIONS_REFUSED);
            listenerCounters.bump(ListenerCounter.REFUSED_MAX_CLIENTS);
            long now = System.nanoTime();
            long last = lastLogged.get();
            if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
                log.warn("{}: refusing {}: max_clients ({}) reached", listenerId, ctx.channel().remoteAddress(),
                        maxClients);
            }
            ctx.pipeline().remove(this);    // so channelInactive does not count it down again
            ctx.close();
            return;
        }
        listenerCounters.bump(ListenerCounter.ACCEPTED);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        current.decrementAndGet();
        ctx.fireChannelInactive();
    }

    int current() {
        return current.get();
    }
}
