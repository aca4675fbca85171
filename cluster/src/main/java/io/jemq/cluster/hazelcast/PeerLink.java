package io.jemq.cluster.hazelcast;

import io.jemq.message.Message;
import io.jemq.session.SessionHandOff;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The link to one other node: one TCP connection, opened by this node, carrying the messages published here that
 * the other node has subscribers for, in the order each publisher published them (a publisher's writes come from
 * its one event loop).
 *
 * <p>Threads: {@link #send}, {@link #takeOver} and {@link #sendSession} on any thread, never blocking: the frame is
 * encoded there and handed to the connection's loop, which flushes many at once (a batch per destination). Until
 * the connection is up, frames wait in a bounded queue; while the node is unreachable, beyond that bound, they are
 * dropped and counted (the node is about to be declared dead, and its subscribers with it).
 */
final class PeerLink {
    private static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    private static final int MAX_PENDING = 100_000;

    private final String node;
    private final InetSocketAddress address;
    private final Bootstrap bootstrap;
    private final Queue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Channel channel;
    private volatile boolean closed;
    private boolean reportedDown;

    PeerLink(String node, InetSocketAddress address, Bootstrap bootstrap) {
        this.node = node;
        this.address = address;
        this.bootstrap = bootstrap;
    }

    String node() {
        return node;
    }

    InetSocketAddress address() {
        return address;
    }

    boolean connected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    long dropped() {
        return dropped.get();
    }

    void connect() {
        if (closed) {
            return;
        }
        ChannelFuture f = bootstrap.connect(address);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                if (!reportedDown) {
                    reportedDown = true;
                    log.warn("cannot reach node {} at {}: {}; retrying every second", node, address,
                            done.cause().toString());
                }
                f.channel().eventLoop().schedule(this::connect, 1, TimeUnit.SECONDS);
                return;
            }
            Channel ch = f.channel();
            ch.config().setOption(ChannelOption.TCP_NODELAY, true);
            if (reportedDown) {
                log.info("node {} reachable again at {}", node, address);
            }
            reportedDown = false;
            channel = ch;
            drain(ch);
            ch.closeFuture().addListener(c -> {
                channel = null;
                if (!closed) {
                    ch.eventLoop().schedule(this::connect, 1, TimeUnit.SECONDS);
                }
            });
        });
    }

    /** @param groups the share groups ({@code {filter, group}}) the node is to serve this message to */
    void send(Message message, List<String[]> groups) {
        write(channel, PeerCodec.message(PooledByteBufAllocator.DEFAULT, message, groups));
    }

    /** Asks the node to end {@code clientId}'s session; with {@code resume}, to send it to {@code requester}. */
    void takeOver(String clientId, boolean resume, String requester) {
        write(channel, PeerCodec.takeOver(PooledByteBufAllocator.DEFAULT, clientId, resume, requester));
    }

    /** Sends a session this node ended for its client's new node; the frame owns the state's messages now. */
    void sendSession(String clientId, SessionHandOff state) {
        try {
            write(channel, PeerCodec.session(PooledByteBufAllocator.DEFAULT, clientId, state));
        } finally {
            state.release();
        }
    }

    private void write(Channel ch, ByteBuf frame) {
        if (ch != null && ch.isActive() && pendingCount.get() == 0) {
            ch.writeAndFlush(frame, ch.voidPromise());
            return;
        }
        if (closed || pendingCount.incrementAndGet() > MAX_PENDING) {
            pendingCount.decrementAndGet();
            dropped.incrementAndGet();
            frame.release();
            return;
        }
        pending.add(frame);
        Channel now = channel;
        if (now != null) {
            now.eventLoop().execute(() -> drain(now));
        }
    }

    /** On the connection's loop: what waited goes first, in the order it came. */
    private void drain(Channel ch) {
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            pendingCount.decrementAndGet();
            ch.write(frame, ch.voidPromise());
        }
        ch.flush();
    }

    void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        ByteBuf frame;
        while ((frame = pending.poll()) != null) {
            frame.release();
        }
    }

    @Override
    public String toString() {
        return node + "@" + address;
    }
}
