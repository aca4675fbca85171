package io.jemq.transport;

import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts bytes in and out ({@code bytes/received}, {@code bytes/sent}) at the socket end of the pipeline. */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    private final Counters counters;

    TrafficCounter(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            counters.add(Counter.BYTES_RECEIVED, b.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b) {
            counters.add(Counter.BYTES_SENT, b.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
