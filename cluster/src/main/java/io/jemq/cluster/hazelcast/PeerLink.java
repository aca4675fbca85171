package io.jemq.cluster.hazelcast;

import io.jemq.message.Message;
import io.jemq.session.SessionHandOff;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The link to one other node: one TCP connection at a time, opened by this node, carrying the messages published here
 * that the other node has subscribers for, in the order each publisher published them (a publisher's frames come
 * from its one event loop), and the take-over and session frames for it.
 *
 * <p>Reliable frames (QoS 1/2 messages, take-over, session) are numbered in the order they are written (a sequence
 * per link, starting at 1 for each new link: its epoch) and kept, bytes and all, until the node acknowledges them;
 * the node acknowledges cumulatively, once it has routed them and its store has them, so a publish's {@link
 * PublishAcceptance} completes then. When the connection breaks while both nodes live, the next one starts with a
 * HELLO (this node, the epoch, the last acknowledged number) and every unacknowledged frame again, in order; the
 * node drops those it had accepted. When the node leaves or dies, {@link #close} completes whatever waited for it.
 *
 * <p>Flow control: the link's {@link LinkCongestion}. While its connection takes no more (Netty's write buffer above
 * its high watermark: the other node stopped reading, or the network is slower than the publishers), or
 * {@link #PAUSE_BYTES} wait for acknowledgement, the publishers whose messages go to it pause as for a congested
 * local subscriber, and resume when it is writable and below half that again (or after {@code max_pause}). As a
 * last resort, what the link holds is bounded ({@link #MAX_UNACKED_BYTES}): past it a frame is dropped, counted in
 * {@code messages/dropped} and logged once, and its publish no longer waits for that node. QoS 0 frames are sent if
 * the connection is up, else wait (up to {@link #MAX_WAITING}) for the next one.
 *
 * <p>Threads: {@link #send}, {@link #takeOver} and {@link #sendSession} on any thread, never blocking: the frame is
 * encoded there and handed to the link's own loop (one loop for the link's whole life), which numbers, keeps and
 * writes it; flushes are merged there (the batch per destination). Acknowledgements arrive on that loop too.
 */
final class PeerLink {
    static final Logger log = LoggerFactory.getLogger(PeerLink.class);
    /**
     * What waits for acknowledgement per node, and what its connection has not sent yet: a node this far behind is
     * treated as unreachable for more.
     */
    static final long MAX_UNACKED_BYTES = 64L << 20;
    /** Unacknowledged bytes past which publishers to the node pause (while the connection is still writable). */
    static final long PAUSE_BYTES = MAX_UNACKED_BYTES / 4;
    /** The connection's write buffer: above the high mark it is not writable and its publishers pause. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 << 10, 1 << 20);
    static final int MAX_WAITING = 100_000;

    private final String node;
    private final String me;
    private final InetSocketAddress address;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final long epoch = ThreadLocalRandom.current().nextLong();
    /** Frames dropped past the bound (not those that went with a node that left). */
    private final AtomicLong dropped = new AtomicLong();
    private final Runnable onDrop;
    /** Whether the link holds its publishers back, and those it holds. */
    private final LinkCongestion congestion;
    /** The link's loop only: frames not acknowledged yet, in sequence order; QoS 0 frames waiting for a connection. */
    private final ArrayDeque<Unacked> unacked = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private long lastSeq;
    private long unackedBytes;
    private boolean overBound;
    private boolean reportedDown;
    /** Set on the loop once the HELLO and the resent frames are written; read anywhere for {@link #connected}. */
    private volatile Channel channel;
    private volatile boolean closed;

    private record Unacked(long seq, ByteBuf frame, PublishAcceptance acceptance) {
    }

    /**
     * @param loop   the loop the link lives on: its connections, its numbering and its acknowledgements
     * @param onDrop told about each message dropped past the bound
     */
    PeerLink(String node, String me, InetSocketAddress address, EventLoop loop, Runnable onDrop) {
        this.node = node;
        this.me = me;
        this.address = address;
        this.loop = loop;
        this.onDrop = onDrop;
        this.congestion = new LinkCongestion(node);
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // flushes issued while the loop is busy are merged: the batch per destination
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true),
                                new LengthFieldBasedFrameDecoder(1024, 0, 4, 0, 4), new Acks());
                    }
                });
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
                loop.schedule(this::connect, 1, TimeUnit.SECONDS);
                return;
            }
            Channel ch = f.channel();
            ch.config().setOption(ChannelOption.TCP_NODELAY, true);
            if (reportedDown) {
                log.info("node {} reachable again at {}", node, address);
            }
            reportedDown = false;
            if (closed) {
                ch.close();
                return;
            }
            resume(ch);
            ch.closeFuture().addListener(c -> {
                if (channel == ch) {
                    channel = null;
                    updateCongestion();
                }
                if (!closed) {
                    loop.schedule(this::connect, 1, TimeUnit.SECONDS);
                }
            });
        });
    }

    /** On the loop, a new connection: HELLO, then every frame not acknowledged yet, then what waited. */
    private void resume(Channel ch) {
        long acked = unacked.isEmpty() ? lastSeq : unacked.peek().seq() - 1;
        ch.write(PeerCodec.hello(ch.alloc(), me, epoch, acked), ch.voidPromise());
        if (!unacked.isEmpty()) {
            log.info("link to {}: sending {} unacknowledged frames again", node, unacked.size());
        }
        for (Unacked u : unacked) {
            ch.write(u.frame().retainedDuplicate(), ch.voidPromise());
        }
        ByteBuf frame;
        while ((frame = waiting.poll()) != null) {
            ch.write(frame, ch.voidPromise());
        }
        ch.flush();
        channel = ch;
        updateCongestion();
    }

    /**
     * @param groups     the share groups ({@code {filter, group}}) the node is to serve this message to
     * @param acceptance the publish waiting for the node to accept a QoS 1/2 message; null when nothing waits
     */
    void send(Message message, List<String[]> groups, PublishAcceptance acceptance) {
        if (acceptance != null) {
            acceptance.expect();
        }
        submit(PeerCodec.message(PooledByteBufAllocator.DEFAULT, message, groups), message.qos() > 0, acceptance);
    }

    /** A delivery for {@code clientId}, whose session moved to the node; reliable unless at QoS 0. */
    void deliver(String clientId, Message message, int qos, boolean retainFlag, int[] ids,
                 PublishAcceptance acceptance) {
        if (acceptance != null) {
            acceptance.expect();
        }
        submit(PeerCodec.deliver(PooledByteBufAllocator.DEFAULT, clientId, message, qos, retainFlag, ids), qos > 0,
                acceptance);
    }

    /** Asks the node to end {@code clientId}'s session; with {@code resume}, to send it to {@code requester}. */
    void takeOver(String clientId, boolean resume, String requester) {
        submit(PeerCodec.takeOver(PooledByteBufAllocator.DEFAULT, clientId, resume, requester), true, null);
    }

    /**
     * Sends a session this node ended for its client's new node (null: there was none); the frame owns the state's
     * messages now.
     */
    void sendSession(String clientId, SessionHandOff state) {
        ByteBuf frame;
        try {
            frame = PeerCodec.session(PooledByteBufAllocator.DEFAULT, clientId, state);
        } finally {
            if (state != null) {
                state.release();
            }
        }
        submit(frame, true, null);
    }

    private void submit(ByteBuf frame, boolean reliable, PublishAcceptance acceptance) {
        if (loop.inEventLoop()) {
            enqueue(frame, reliable, acceptance);
        } else {
            loop.execute(() -> enqueue(frame, reliable, acceptance));
        }
    }

    /** On the loop: numbers and keeps a reliable frame, and writes it when connected. */
    private void enqueue(ByteBuf frame, boolean reliable, PublishAcceptance acceptance) {
        Channel ch = channel;
        boolean up = ch != null && ch.isActive();
        if (closed) {
            drop(frame, acceptance);
            return;
        }
        int size = frame.readableBytes();
        if (overBound(reliable, up, ch, size)) {
            if (!overBound) {
                overBound = true;
                log.warn("link to {}: {} bytes wait for acknowledgement, {} to be sent; frames for it are dropped "
                        + "until it catches up", node, unackedBytes, unsent(ch));
            }
            dropped.incrementAndGet();
            onDrop.run();
            drop(frame, acceptance);
            return;
        }
        if (!reliable) {
            if (up) {
                ch.writeAndFlush(frame, ch.voidPromise());
            } else {
                waiting.add(frame);
            }
        } else {
            long seq = ++lastSeq;
            frame.setLong(PeerCodec.SEQ_AT, seq);
            unacked.add(new Unacked(seq, frame, acceptance));
            unackedBytes += size;
            if (up) {
                ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
            }
        }
        updateCongestion();
    }

    /** The last resort, when pausing the publishers did not hold them back: whether this frame is one too many. */
    private boolean overBound(boolean reliable, boolean up, Channel ch, int size) {
        if (reliable) {
            return unackedBytes + size > MAX_UNACKED_BYTES;
        }
        if (!up) {
            return waiting.size() >= MAX_WAITING;
        }
        return !ch.isWritable() && unsent(ch) + size > MAX_UNACKED_BYTES;
    }

    /** What the connection has not written to its socket yet. */
    private static long unsent(Channel ch) {
        ChannelOutboundBuffer buffer = ch == null ? null : ch.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private void drop(ByteBuf frame, PublishAcceptance acceptance) {
        frame.release();
        if (acceptance != null) {
            acceptance.accepted();
        }
    }

    /** On the loop, after what the link holds changed: whether its publishers pause, or resume. */
    private void updateCongestion() {
        Channel ch = channel;
        congestion.update(ch == null || ch.isWritable(), unackedBytes, waiting.size());
    }

    /** Whether publishers sending to the node should pause (the link is behind), and those that did. Any thread. */
    LinkCongestion congestion() {
        return congestion;
    }

    /** On the loop: the node accepted every frame up to {@code seq}. */
    void acked(long seq) {
        Unacked u;
        while ((u = unacked.peek()) != null && u.seq() <= seq) {
            unacked.poll();
            unackedBytes -= u.frame().readableBytes();
            u.frame().release();
            if (u.acceptance() != null) {
                u.acceptance().accepted();
            }
        }
        if (overBound && unackedBytes < MAX_UNACKED_BYTES / 2) {
            overBound = false;
            log.info("link to {} caught up", node);
        }
        updateCongestion();
    }

    /**
     * The node left or died (or this node leaves the cluster): the connection closes, and every publish waiting for
     * the node is acknowledged without it (its subscribers cannot be reached).
     */
    void close() {
        closed = true;
        loop.execute(() -> {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            Unacked u;
            while ((u = unacked.poll()) != null) {
                drop(u.frame(), u.acceptance());
            }
            unackedBytes = 0;
            ByteBuf frame;
            while ((frame = waiting.poll()) != null) {
                frame.release();
            }
            congestion.clear();             // nothing waits for the node any more: its publishers go on
        });
    }

    /** What the node sends back on a connection this link opened: acknowledgements. A reset closes it. */
    private final class Acks extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (frame.readByte() == PeerCodec.ACK) {
                acked(frame.readLong());
            }
        }

        /** The other node reads again (or stopped): the publishers held back for it learn it. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel) {
                updateCongestion();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("cluster link to {} failed: {}", node, cause.toString());
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return node + "@" + address;
    }
}
