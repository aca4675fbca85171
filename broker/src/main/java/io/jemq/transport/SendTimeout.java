package io.jemq.transport;

import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A listener's {@code send_timeout}: a client that stops reading leaves our writes queued; when they make no progress
 * for that long, the connection is closed ({@code send_timeout_close = on}) so its session goes offline and its
 * memory is freed. Only armed while a flush leaves bytes behind, which a healthy client rarely causes: one check per
 * stall, none per packet.
 */
final class SendTimeout extends ChannelOutboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SendTimeout.class);

    private final String listenerId;
    private final long timeoutNanos;
    private final boolean close;
    private final ListenerCounters counters;
    private ScheduledFuture<?> check;
    private boolean reported;
    // where the socket's outbound buffer stood at the last check
    private int lastMessage;
    private long lastProgress;

    SendTimeout(String listenerId, long timeoutNanos, boolean close, ListenerCounters counters) {
        this.listenerId = listenerId;
        this.timeoutNanos = timeoutNanos;
        this.close = close;
        this.counters = counters;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
        if (check == null && pending(ctx) != null) {
            mark(pending(ctx));
            arm(ctx);
        }
    }

    private void arm(ChannelHandlerContext ctx) {
        check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        ChannelOutboundBuffer buf = pending(ctx);
        if (buf == null || !ctx.channel().isActive()) {
            reported = false;
            return;                                     // drained
        }
        if (System.identityHashCode(buf.current()) != lastMessage || buf.currentProgress() != lastProgress) {
            mark(buf);                                  // slow, but moving
            arm(ctx);
            return;
        }
        if (close) {
            counters.bump(ListenerCounter.SEND_TIMEOUTS);
            log.info("{}: closing {}: it read nothing of {} bytes for send_timeout ({} ms)", listenerId,
                    ctx.channel().remoteAddress(), buf.totalPendingWriteBytes(), timeoutNanos / 1_000_000);
            ctx.close();
            return;
        }
        if (!reported) {
            reported = true;
            log.debug("{}: writes to {} stalled for send_timeout; send_timeout_close is off, waiting",
                    listenerId, ctx.channel().remoteAddress());
        }
        arm(ctx);
    }

    private void mark(ChannelOutboundBuffer buf) {
        lastMessage = System.identityHashCode(buf.current());
        lastProgress = buf.currentProgress();
    }

    /** The socket's outbound buffer when it holds unwritten bytes, else null. */
    private static ChannelOutboundBuffer pending(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer buf = ctx.channel().unsafe().outboundBuffer();
        return buf != null && buf.totalPendingWriteBytes() > 0 ? buf : null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
