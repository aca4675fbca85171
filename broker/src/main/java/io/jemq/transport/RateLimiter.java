package io.jemq.transport;

import io.jemq.config.RateLimit;
import io.jemq.protocol.ReadGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A listener's {@code rate_limit} for one connection: a token bucket over the bytes it sends us. Bytes already read
 * always go on; when they overdraw the bucket, reading pauses (auto-read off, through the {@link ReadGate}) until the
 * refill has paid the debt, so the kernel's buffers and TCP's flow control slow the client down. No thread sleeps:
 * the resume is a task on the channel's event loop.
 */
final class RateLimiter extends ChannelInboundHandlerAdapter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long burst;
    private final long bytesPerSecond;
    private long tokens;
    private long refilledAt;
    private ScheduledFuture<?> resume;

    RateLimiter(RateLimit limit) {
        this.burst = limit.burstBytes();
        this.bytesPerSecond = limit.bytesPerSecond();
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            refill();
            tokens -= b.readableBytes();
            if (tokens < 0 && resume == null) {
                ReadGate.pause(ctx.channel(), ReadGate.RATE_LIMIT);
                scheduleResume(ctx);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void scheduleResume(ChannelHandlerContext ctx) {
        long waitNanos = Math.max(1, -tokens * NANOS_PER_SECOND / bytesPerSecond);
        resume = ctx.executor().schedule(() -> {
            resume = null;
            refill();
            if (tokens >= 0) {
                ReadGate.resume(ctx.channel(), ReadGate.RATE_LIMIT);
            } else {
                scheduleResume(ctx);
            }
        }, waitNanos, TimeUnit.NANOSECONDS);
    }

    private void refill() {
        long now = System.nanoTime();
        // in double: nanoseconds times bytes per second overflows a long after a long quiet spell
        double earned = (now - refilledAt) * (double) bytesPerSecond / NANOS_PER_SECOND;
        if (tokens + earned >= burst) {
            tokens = burst;
            refilledAt = now;
        } else if (earned >= 1) {
            long whole = (long) earned;
            tokens += whole;
            refilledAt += (long) (whole * (double) NANOS_PER_SECOND / bytesPerSecond);  // keep the remainder
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (resume != null) {
            resume.cancel(false);
            resume = null;
        }
        ctx.fireChannelInactive();
    }
}
