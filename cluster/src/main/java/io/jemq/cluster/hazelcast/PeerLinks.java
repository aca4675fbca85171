package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.routing.SubOptions;
import io.jemq.sys.Counter;
import io.jemq.session.SessionHandOff;
import io.jemq.routing.TopicFilter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's message links: the server the other nodes connect to, and one outgoing {@link PeerLink} per other
 * node (each side sends on the link it opened, receives on those the others opened, see {@link InboundLink}, and
 * acknowledges on them). A take-over frame ends a local session (and sends it on), a session frame gives one to a
 * local session. Opened by {@link ClusterModule}; links
 * are added and dropped by the membership listener's thread.
 */
final class PeerLinks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);
    /** How long a resuming client's CONNACK waits for the node that held its session. */
    static final int HAND_OFF_WAIT_S = 5;

    private final Broker broker;
    private final String me;
    private final EventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("jemq-cluster-link", true));
    private final Channel server;
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    /** What this node accepted from each other node's link (its current epoch). */
    private final Map<String, SenderState> senders = new ConcurrentHashMap<>();
    /** Client ids whose session this node asked another node for, with the CONNACK waiting for it. */
    private final Map<String, HandOff> handOffs = new ConcurrentHashMap<>();
    private volatile RouteTable routes;

    PeerLinks(Broker broker, String me, String host, int port) throws InterruptedException {
        this.broker = broker;
        this.me = me;
        this.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(PeerCodec.MAX_FRAME, 0, 4, 0, 4),
                                new InboundLink(PeerLinks.this, broker));
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
        PeerLink link = new PeerLink(node, me, address, group.next(),
                () -> broker.counters().bump(Counter.MESSAGES_DROPPED));
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

    /**
     * A connection from {@code node} said HELLO: what was accepted in its epoch so far, or a fresh start for a new
     * epoch (the node's link was made again, or the node restarted) from the last number it says was acknowledged.
     */
    SenderState sender(String node, long epoch, long acked) {
        return senders.compute(node, (n, known) -> known != null && known.epoch == epoch ? known
                : new SenderState(epoch, acked));
    }

    /**
     * The node left or died: its link closes, and the publishes that waited for it are acknowledged without it
     * (frames dropped).
     */
    void drop(String node) {
        senders.remove(node);
        handOffs.forEach((clientId, h) -> {         // the CONNACKs waiting for that node's sessions go now
            if (h.holder().equals(node) && handOffs.remove(clientId, h)) {
                h.session().complete(false);
            }
        });
        PeerLink link = links.remove(node);
        if (link != null) {
            link.close();
        }
    }

    @Override
    public void close() {
        handOffs.values().forEach(h -> h.session().complete(false));   // their timers stop with the loops
        handOffs.clear();
        links.values().forEach(PeerLink::close);
        links.clear();
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** This node's route table, for the forwarders of sessions that move away; set once the member has one. */
    void routes(RouteTable table) {
        this.routes = table;
    }

    /**
     * This node asked {@code holder} for {@code clientId}'s session: completes with true once it was adopted here,
     * with false when the holder had none or did not answer within {@link #HAND_OFF_WAIT_S} (logged).
     */
    CompletableFuture<Boolean> expectSession(String clientId, String holder) {
        HandOff handOff = new HandOff(holder, new CompletableFuture<>());
        HandOff earlier = handOffs.put(clientId, handOff);
        if (earlier != null) {
            earlier.session().complete(false);
        }
        group.schedule(() -> {
            if (handOffs.remove(clientId, handOff) && handOff.session().complete(false)) {
                log.warn("node {} did not hand over the session of {} within {} s: session present = 0", holder,
                        clientId, HAND_OFF_WAIT_S);
            }
        }, HAND_OFF_WAIT_S, TimeUnit.SECONDS);
        return handOff.session();
    }

    /** A session asked for from {@code holder}; completes with whether it arrived. */
    private record HandOff(String holder, CompletableFuture<Boolean> session) {
    }

    /** A session frame arrived (null: the other node had none): adopted, and the waiting CONNACK told. */
    void sessionArrived(String clientId, SessionHandOff state) {
        if (state != null) {
            broker.sessions().adopt(clientId, state);
        }
        HandOff handOff = handOffs.remove(clientId);
        if (handOff != null) {
            handOff.session().complete(state != null);
        }
    }

    /**
     * Another node's client connected with a client id whose session is here: the session ends (its connection,
     * if any, closes) and, when the client resumes, goes to that node with its subscriptions and messages, while a
     * {@link SessionForwarder} sends that node what is still routed here for the client.
     */
    void takeOver(String clientId, boolean resume, String requester) {
        PeerLink link = links.get(requester);
        RouteTable table = routes;
        SessionForwarder forwarder = resume && link != null && table != null
                ? new SessionForwarder(clientId, link, table, broker.router()) : null;
        broker.sessions().handOff(clientId, forwarder).whenComplete((state, e) -> {
            if (e != null) {
                log.warn("handing the session of {} to {} failed: {}", clientId, requester, e.toString());
                return;
            }
            if (state == null) {
                broker.clients().kick(clientId);        // a connection whose session is not registered yet
            }
            if (!resume) {
                if (state != null) {
                    state.release();
                }
            } else if (link == null) {
                if (state != null) {
                    state.release();
                }
                log.warn("no link to {}: the session of {} is dropped", requester, clientId);
            } else {
                if (state != null) {
                    log.info("session of {} handed to {} ({} subscriptions, {} messages)", clientId, requester,
                            state.subscriptions().size(), state.pending().size());
                }
                Map<TopicFilter, SubOptions> subscriptions = state == null ? Map.of() : state.subscriptions();
                link.sendSession(clientId, state);
                if (forwarder != null && state != null) {
                    forwarder.start(subscriptions, group);
                }
            }
        });
    }
}
