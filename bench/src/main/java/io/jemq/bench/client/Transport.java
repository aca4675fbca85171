package io.jemq.bench.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/**
 * The event loops every client of one run shares: native epoll where the platform has it, NIO otherwise.
 */
public final class Transport implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final String name;

    public Transport(int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory("loadgen", true);
        if (Epoll.isAvailable()) {
            group = new EpollEventLoopGroup(n, factory);
            channelType = EpollSocketChannel.class;
            name = "epoll";
        } else {
            group = new NioEventLoopGroup(n, factory);
            channelType = NioSocketChannel.class;
            name = "nio";
        }
    }

    /** A fresh bootstrap on this transport; the caller adds the handler. */
    public Bootstrap bootstrap() {
        return new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                // a few batches of headroom: enough to keep the socket busy, small enough to notice back-pressure
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024));
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
