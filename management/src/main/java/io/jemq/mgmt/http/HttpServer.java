package io.jemq.mgmt.http;

import io.jemq.config.AccessRule;
import io.jemq.config.TlsSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The management listener: a small Netty HTTP/1.1 server of its own (one acceptor thread, {@code acceptors} I/O
 * threads), apart from the MQTT event loops so that a slow or busy API never delays MQTT traffic. Each connection gets
 * the access rules and {@code max_clients} check at accept, TLS when configured, Netty's HTTP codec, a body cap
 * (larger bodies are answered 413 by the aggregator) and an idle timeout, then {@link RequestHandler}.
 *
 * <p>Started and closed by {@link HttpApiModule} (and the dashboard's module, for its own listener) on the broker's
 * start and close threads.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int IDLE_SECONDS = 60;
    /** Requests waiting for an endpoint thread at most; one more is answered 503. */
    private static final int QUEUE = 256;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService endpoints;

    /**
     * Binds the listener; endpoints run on {@code threads} threads of its own ({@code <threadName>-N}), up to 256
     * requests waiting and 503 beyond, closed with the server.
     */
    public HttpServer(ApiListener listener, Routes routes, AdminCheck admins, String threadName, int threads)
            throws Exception {
        this(listener, routes, admins, new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), new DefaultThreadFactory(threadName, true)));
    }

    private HttpServer(ApiListener listener, Routes routes, AdminCheck admins, ExecutorService executor)
            throws Exception {
        this.endpoints = executor;
        SslContext tls = listener.tls().isPresent() ? sslContext(listener.tls().get()) : null;
        RequestHandler handler = new RequestHandler(routes, admins, executor);
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("jemq-mgmt-accept", true));
        workers = new NioEventLoopGroup(listener.acceptors(), new DefaultThreadFactory("jemq-mgmt-io", true));
        try {
            server = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, listener.backlog())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (admit(ch, listener)) {
                                pipeline(ch.pipeline(), ch, tls, listener, handler);
                            }
                        }
                    })
                    .bind(listener.host(), listener.port()).sync().channel();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The access rules, then {@code max_clients}: a refused peer is closed before it is read. */
    private boolean admit(SocketChannel ch, ApiListener listener) {
        InetSocketAddress peer = ch.remoteAddress();
        if (peer != null && !AccessRule.allows(listener.access(), peer.getAddress())) {
            log.debug("management connection from {} denied by listener.api.mgmt.access", peer);
            ch.close();
            return false;
        }
        if (open.incrementAndGet() > listener.maxClients()) {
            open.decrementAndGet();
            log.warn("management connection from {} refused: listener.api.mgmt.max_clients ({}) reached", peer,
                    listener.maxClients());
            ch.close();
            return false;
        }
        ch.closeFuture().addListener((ChannelFutureListener) f -> open.decrementAndGet());
        return true;
    }

    private static void pipeline(ChannelPipeline p, SocketChannel ch, SslContext tls, ApiListener listener,
                                 RequestHandler handler) {
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        p.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
        p.addLast("http", new HttpServerCodec());
        p.addLast("body", new HttpObjectAggregator(listener.maxBodyBytes()));
        p.addLast("api", handler);
    }

    private static SslContext sslContext(TlsSettings s) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(s.certfile().toFile(), s.keyfile().toFile())
                .protocols(s.versions().toArray(String[]::new));
        s.cacertfile().ifPresent(ca -> b.trustManager(ca.toFile()));
        if (s.verifyPeer()) {
            b.clientAuth(s.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        if (!s.ciphers().isEmpty()) {
            b.ciphers(s.ciphers());
        }
        return b.build();
    }

    /** The port the listener is bound to (useful when it was configured as 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        endpoints.shutdownNow();
    }
}
