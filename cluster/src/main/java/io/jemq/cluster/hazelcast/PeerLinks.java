package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.message.Message;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's message links: the server the other nodes connect to, and one outgoing {@link PeerLink} per other
 * node (each side sends on the link it opened, receives on those the others opened). Inbound messages are delivered
 * to the local subscribers with {@link Broker#publishFromPeer} on the link's loop; a take-over frame ends a local
 * session (and sends it on), a session frame gives one to a local session. Opened by {@link ClusterModule}; links
 * are added and dropped by the membership listener's thread.
 */
final class PeerLinks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

    private final Broker broker;
    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("jemq-cluster-link", true));
    private final Bootstrap client;
    private final Channel server;
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();

    PeerLinks(Broker broker, String host, int port) throws InterruptedException {
        this.broker = broker;
        this.client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // flushes issued while the loop is busy are merged: the batch per destination
                        ch.pipeline().addLast(new FlushConsolidationHandler(256, true), new Outbound());
                    }
                });
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(PeerCodec.MAX_FRAME, 0, 4, 0, 4),
                                new Inbound());
                    }
                }).bind(host, port).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** A link to {@code node}, opened now unless one to that address exists. */
    void open(String node, InetSocketAddress address) {
        PeerLink existing = links.get(node);
        if (existing != null && existing.address().equals(address)) {
            return;
        }
        PeerLink link = new PeerLink(node, address, client);
        PeerLink old = links.put(node, link);
        if (old != null) {
            old.close();
        }
        link.connect();
    }

    PeerLink link(String node) {
        return links.get(node);
    }

    Collection<PeerLink> all() {
        return links.values();
    }

    /** The node left or died: its link closes and what waited for it is dropped. */
    void drop(String node) {
        PeerLink link = links.remove(node);
        if (link != null) {
            link.close();
        }
    }

    @Override
    public void close() {
        links.values().forEach(PeerLink::close);
        links.clear();
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /**
     * Another node's client connected with a client id whose session is here: the session ends (its connection,
     * if any, closes) and, when the client resumes, goes to that node with its subscriptions and messages.
     */
    private void takeOver(String clientId, boolean resume, String requester) {
        broker.sessions().handOff(clientId).whenComplete((state, e) -> {
            if (e != null) {
                log.warn("handing the session of {} to {} failed: {}", clientId, requester, e.toString());
            } else if (state == null) {
                broker.clients().kick(clientId);        // a connection whose session is not registered yet
            } else if (!resume) {
                state.release();
            } else {
                PeerLink link = links.get(requester);
                if (link == null) {
                    state.release();
                    log.warn("no link to {}: the session of {} is dropped", requester, clientId);
                } else {
                    link.sendSession(clientId, state);
                    log.info("session of {} handed to {} ({} subscriptions, {} messages)", clientId, requester,
                            state.subscriptions().size(), state.pending().size());
                }
            }
        });
    }

    /** A link this node opened: it only writes; a reset (the other node died) closes it, {@link PeerLink} says so. */
    private static final class Outbound extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("cluster link to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Frames from another node's link. */
    private final class Inbound extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte type = frame.readByte();
            if (type == PeerCodec.MESSAGE) {
                PeerCodec.Forwarded f = PeerCodec.readForwarded(frame);
                Message m = f.message();
                try {
                    GroupTable.asPeer(f.groups(), () -> broker.publishFromPeer(m));
                } finally {
                    m.release();
                }
            } else if (type == PeerCodec.TAKE_OVER) {
                takeOver(PeerCodec.readString(frame), frame.readBoolean(), PeerCodec.readString(frame));
            } else if (type == PeerCodec.SESSION) {
                String clientId = PeerCodec.readString(frame);
                broker.sessions().adopt(clientId, PeerCodec.readSession(frame));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("cluster link from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
