package io.jemq.transport;

import io.jemq.config.ListenerSettings;
import io.jemq.config.MqttSettings;
import io.jemq.sys.Counters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Binds the configured MQTT listeners ({@code tcp}, {@code ssl}, {@code ws}, {@code wss}) on shared event loop groups;
 * each listener's {@link PipelineBuilder} builds its connections' pipelines.
 */
public final class Listeners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    private static final int ACCEPT_LOOPS = Runtime.getRuntime().availableProcessors();

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final MqttSteps mqttSteps;
    private final MqttSettings mqtt;
    private final Counters counters;
    private final TrafficCounter traffic;
    /** Each listener's server sockets: several share its port when it has more than one acceptor. */
    /** Read sizes adapt per channel (the handle); the policy, immutable, is shared. */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator();

    private final Map<String, List<Channel>> bound = new LinkedHashMap<>();
    private final Map<String, ConnectionLimiter> limiters = new ConcurrentHashMap<>();

    public Listeners(MqttSteps mqttSteps, MqttSettings mqtt, Counters counters) {
        this.mqttSteps = mqttSteps;
        this.mqtt = mqtt;
        this.counters = counters;
        this.traffic = new TrafficCounter(counters);
        // a listener's acceptors (its server sockets) take one loop each, up to one per core; loops start at first use
        this.acceptors = Transports.group(ACCEPT_LOOPS, "jemq-accept");
        // one loop per core, not Netty's default of two: the work is CPU-bound, and two loops on one core only add
        // context switches and cross-loop wake-ups (measured: QoS 1 throughput halved on a single pinned core)
        this.workers = Transports.group(Runtime.getRuntime().availableProcessors(), "jemq-io");
    }

    /**
     * The event loops connections live on: a restarted broker's recovered sessions are spread over them, and sysmon
     * probes how promptly they run tasks.
     */
    public EventLoopGroup eventLoops() {
        return workers;
    }

    /**
     * Binds every listener; fails when one cannot be bound, and then only after the ones that were bound are unbound
     * again, so a failed start holds no port.
     */
    public CompletableFuture<Void> bind(List<ListenerSettings> listeners) {
        // every listener made ready (TLS keys loaded, the first time with BouncyCastle's jar verified) before any port
        // opens: clients that connect at once, as a fleet does when its broker restarts, get a broker that is ready
        Map<ListenerSettings, ServerBootstrap> ready = new LinkedHashMap<>();
        for (ListenerSettings l : listeners) {
            try {
                ready.put(l, prepare(l));
            } catch (IllegalStateException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        ready.forEach((l, b) -> all.add(bindSockets(l, b, acceptorSockets(l))));
        CompletableFuture<Void> result = new CompletableFuture<>();
        // allOf waits for every bind, failed or not: none can still be binding once the bound ones are closed
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                unbindAll().whenComplete((closed, e) -> result.completeExceptionally(failure));
            }
        });
        return result;
    }

    /** Closes every bound listener without waiting: this may run on the acceptor loop, where waiting deadlocks. */
    private CompletableFuture<Void> unbindAll() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        synchronized (bound) {
            for (List<Channel> sockets : bound.values()) {
                for (Channel c : sockets) {
                    CompletableFuture<Void> closed = new CompletableFuture<>();
                    c.close().addListener(f -> closed.complete(null));
                    closing.add(closed);
                }
            }
            bound.clear();
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    /** The listener's bootstrap, with its TLS context; throws IllegalStateException when its keys cannot be used. */
    private ServerBootstrap prepare(ListenerSettings l) {
        ServerTls tls = null;
        if (l.tls().isPresent()) {
            try {
                tls = ServerTls.of("listener." + l.id(), l.tls().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot listen on " + l.host() + ":" + l.port() + " (" + l.id() + "): "
                        + e.getMessage());
            }
            if (tls.usesDevelopmentCertificate()) {
                log.warn("{} serves TLS with jemq's development certificate ({}): its private key is public, so "
                        + "these connections are not private. Set listener.{}.keyfile and certfile to your own.",
                        l.id(), l.tls().get().certfile(), l.id());
            }
        }
        ConnectionLimiter limiter = new ConnectionLimiter(l.id(), l.maxClients(), counters);
        limiters.put(l.id(), limiter);
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, l.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, l.nodelay())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                // Netty's default, but one for all: otherwise each channel gets its own (40 bytes an idle client)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_SIZES)
                .childHandler(new PipelineBuilder(l, tls, mqttSteps, mqtt, counters, limiter, traffic,
                        counters.listener(l.id())));
        if (l.sndbuf() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, l.sndbuf());
        }
        if (l.recbuf() > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, l.recbuf());
        }
        return b;
    }

    /**
     * How many server sockets a listener gets: its {@code acceptors}, up to one per core, where the kernel can spread
     * new connections over them (SO_REUSEPORT with native epoll); one elsewhere.
     */
    private static int acceptorSockets(ListenerSettings l) {
        return Transports.nativeEpoll() ? Math.min(l.acceptors(), ACCEPT_LOOPS) : 1;
    }

    private CompletableFuture<Void> bindSockets(ListenerSettings l, ServerBootstrap b, int sockets) {
        int port = l.port();
        if (sockets > 1) {
            try {
                // SO_REUSEPORT would let a second broker on this port share its connections instead of failing to
                // start: a plain bind first proves the port free (and picks it, for port 0)
                port = PortProbe.freePort(l.host(), l.port());
            } catch (IOException e) {
                return CompletableFuture.failedFuture(cannotListen(l, e));
            }
            Transports.reusePort(b);
        }
        List<CompletableFuture<Void>> each = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            each.add(bindSocket(l, b, port));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenRun(() ->
                log.debug("bound {} to {}:{} ({} acceptor sockets)", l.id(), l.host(), boundPort(l.id()), sockets));
    }

    private CompletableFuture<Void> bindSocket(ListenerSettings l, ServerBootstrap b, int port) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ChannelFuture f = b.bind(new InetSocketAddress(l.host(), port));
        f.addListener(r -> {
            if (r.isSuccess()) {
                synchronized (bound) {
                    bound.computeIfAbsent(l.id(), id -> new ArrayList<>()).add(f.channel());
                }
                done.complete(null);
            } else {
                done.completeExceptionally(cannotListen(l, r.cause()));
            }
        });
        return done;
    }

    private static IllegalStateException cannotListen(ListenerSettings l, Throwable cause) {
        return new IllegalStateException("cannot listen on " + l.host() + ":" + l.port() + " (" + l.id() + "): "
                + cause.getMessage(), cause);
    }

    public int boundPort(String listenerId) {
        List<Channel> sockets;
        synchronized (bound) {
            sockets = bound.get(listenerId);
        }
        if (sockets == null || sockets.isEmpty()) {
            throw new IllegalArgumentException("no bound listener " + listenerId);
        }
        return ((InetSocketAddress) sockets.get(0).localAddress()).getPort();
    }

    /** Current connections of a listener, exact. */
    public int currentConnections(String listenerId) {
        ConnectionLimiter l = limiters.get(listenerId);
        return l == null ? 0 : l.current();
    }

    /** Stops accepting; existing connections stay open. */
    public void stopAccepting() {
        synchronized (bound) {
            bound.values().forEach(sockets -> sockets.forEach(c -> c.close().syncUninterruptibly()));
            bound.clear();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
