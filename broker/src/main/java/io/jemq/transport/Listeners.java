package io.jemq.transport;

import io.jemq.config.ListenerSettings;
import io.jemq.config.MqttSettings;
import io.jemq.protocol.Connection;
import io.jemq.protocol.ConnectionServices;
import io.jemq.protocol.HandlerNames;
import io.jemq.sys.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Binds the configured MQTT listeners on shared event loop groups and builds each connection's pipeline:
 * limiter → traffic counter → idle (connect timeout, later keepalive) → MQTT decoder/encoder → Connection.
 */
public final class Listeners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ConnectionServices services;
    private final MqttSettings mqtt;
    private final Metrics metrics;
    private final TrafficCounter traffic;
    private final Map<String, Channel> bound = new LinkedHashMap<>();
    private final Map<String, ConnectionLimiter> limiters = new LinkedHashMap<>();

    public Listeners(ConnectionServices services, MqttSettings mqtt, Metrics metrics) {
        this.services = services;
        this.mqtt = mqtt;
        this.metrics = metrics;
        this.traffic = new TrafficCounter(metrics);
        this.acceptors = Transports.group(1, "jemq-accept");
        this.workers = Transports.group(0, "jemq-io");
    }

    /** Binds every listener; fails (and unbinds what was bound) when one cannot be bound. */
    public CompletableFuture<Void> bind(List<ListenerSettings> listeners) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ListenerSettings l : listeners) {
            if (!"tcp".equals(l.protocol())) {
                log.debug("listener {} ({}) is not served yet", l.id(), l.protocol());
                continue;
            }
            all.add(bindOne(l));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> bindOne(ListenerSettings l) {
        ConnectionLimiter limiter = new ConnectionLimiter(l.id(), l.maxClients(), metrics);
        limiters.put(l.id(), limiter);
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, l.backlog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, l.nodelay())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(HandlerNames.LIMITER, limiter);
                        p.addLast(HandlerNames.TRAFFIC, traffic);
                        p.addLast(HandlerNames.SIZE_GUARD, new PacketSizeGuard(mqtt.maxPacketSize(), metrics));
                        p.addLast(HandlerNames.IDLE, new IdleStateHandler(mqtt.connectTimeout().toMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        p.addLast(HandlerNames.MQTT_DECODER, new MqttDecoder(mqtt.maxPacketSize(),
                                mqtt.maxClientIdLength()));
                        p.addLast(HandlerNames.MQTT_ENCODER, MqttEncoder.INSTANCE);
                        p.addLast(HandlerNames.CONNECTION, new Connection(services, l.id()));
                    }
                });
        if (l.sndbuf() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, l.sndbuf());
        }
        if (l.recbuf() > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, l.recbuf());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ChannelFuture f = b.bind(new InetSocketAddress(l.host(), l.port()));
        f.addListener(r -> {
            if (r.isSuccess()) {
                synchronized (bound) {
                    bound.put(l.id(), f.channel());
                }
                log.debug("bound {} to {}:{}", l.id(), l.host(), boundPort(l.id()));
                done.complete(null);
            } else {
                done.completeExceptionally(new IllegalStateException("cannot listen on " + l.host() + ":" + l.port()
                        + " (" + l.id() + "): " + r.cause().getMessage(), r.cause()));
            }
        });
        return done;
    }

    public int boundPort(String listenerId) {
        Channel c;
        synchronized (bound) {
            c = bound.get(listenerId);
        }
        if (c == null) {
            throw new IllegalArgumentException("no bound listener " + listenerId);
        }
        return ((InetSocketAddress) c.localAddress()).getPort();
    }

    /** Current connections of a listener, exact. */
    public int currentConnections(String listenerId) {
        ConnectionLimiter l = limiters.get(listenerId);
        return l == null ? 0 : l.current();
    }

    /** Stops accepting; existing connections stay open. */
    public void stopAccepting() {
        synchronized (bound) {
            bound.values().forEach(c -> c.close().syncUninterruptibly());
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
