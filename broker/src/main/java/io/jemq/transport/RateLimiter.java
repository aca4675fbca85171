package io.jemq.transport;

import io.jemq.config.RateLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A listener's {@code rate_limit} for one connection: a token bucket over the bytes it sends us. A read that
 * overdraws the bucket still goes on, then reading pauses (auto-read off, through the {@link ReadGate}) until the
 * refill has paid the debt, so the kernel's buffers and TCP's flow control slow the client down. What the transport
 * still reads after the pause (a read loop finishes its round) is held here and passed on as tokens come. No thread
 * sleeps: the resume is a task on the channel's event loop.
 */
final class RateLimiter extends ChannelInboundHandlerAdapter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    // Netty's adaptive read sizes (64 B .. 64KB, starting at 2KB), capped at the burst
    private static final int MIN_READ = 64;
    private static final int INITIAL_READ = 2048;
    private static final int MAX_READ = 65536;

    private final long burst;
    private final long bytesPerSecond;
    private long tokens;
    private long refilledAt;
    private ScheduledFuture<?> resume;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();

    RateLimiter(RateLimit limit) {
        this.burst = limit.burstBytes();
        this.bytesPerSecond = limit.bytesPerSecond();
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /**
     * One buffer of at most a burst per read: a read loop goes on after auto-read is turned off (up to 16 reads), so
     * without this a connection could overdraw by a loop's worth. A limited connection is slow anyway; the extra
     * wake-ups cost nothing worth having.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        int max = (int) Math.max(MIN_READ, Math.min(MAX_READ, burst));
        AdaptiveRecvByteBufAllocator reads = new AdaptiveRecvByteBufAllocator(MIN_READ, Math.min(INITIAL_READ, max),
                max);
        reads.maxMessagesPerRead(1);
        ctx.channel().config().setRecvByteBufAllocator(reads);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (resume != null) {
            held.add(b);             // read before the pause took effect: it waits its turn like the rest
            return;
        }
        refill();
        pass(ctx, b);
        if (tokens < 0) {
            ReadGate.pause(ctx.channel(), ReadGate.RATE_LIMIT);
            scheduleResume(ctx);
        }
    }

    private void pass(ChannelHandlerContext ctx, ByteBuf b) {
        tokens -= b.readableBytes();
        ctx.fireChannelRead(b);
    }

    private void scheduleResume(ChannelHandlerContext ctx) {
        long waitNanos = Math.max(1, -tokens * NANOS_PER_SECOND / bytesPerSecond);
        resume = ctx.executor().schedule(() -> {
            resume = null;
            refill();
            boolean passed = false;
            while (tokens >= 0 && !held.isEmpty()) {
                pass(ctx, held.poll());
                passed = true;
            }
            if (passed) {
                ctx.fireChannelReadComplete();          // so the connection flushes its answers
            }
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
        for (ByteBuf b = held.poll(); b != null; b = held.poll()) {
            b.release();
        }
        ctx.fireChannelInactive();
    }
}
