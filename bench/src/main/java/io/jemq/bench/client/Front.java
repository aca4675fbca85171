package io.jemq.bench.client;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * What sits between the socket and the MQTT handlers: nothing, TLS, a WebSocket, or both (wss). The MQTT side sees a
 * byte stream either way. One per run: the TLS context it holds is shared by every connection.
 */
public final class Front {
    public static final Front PLAIN = new Front(null, null);

    /** The subprotocol MQTT brokers expect in the upgrade request (MQTT 3.1.1 and 5 alike). */
    private static final String SUBPROTOCOL = "mqtt";
    /** A frame from the broker may hold many MQTT packets; bounded like one packet in {@link FrameReader}. */
    private static final int MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;
    private static final int MAX_UPGRADE_RESPONSE = 8192;
    private static final long UPGRADE_TIMEOUT_MILLIS = 10_000;

    private final SslContext tls;
    private final String webSocketPath;
    private volatile String negotiated;

    /**
     * @param tls           the client TLS context ({@link #tlsContext}), or null for none
     * @param webSocketPath where to upgrade, such as {@code /mqtt}, or null for MQTT straight on the socket
     */
    public Front(SslContext tls, String webSocketPath) {
        this.tls = tls;
        this.webSocketPath = webSocketPath;
    }

    /**
     * A client TLS context on OpenSSL when Netty finds it (the brokers use OpenSSL too; the JDK's engine would make
     * the load generator the slow end). Without {@code cafile} any server certificate is accepted: the benchmark runs
     * on loopback against brokers that serve a development certificate.
     *
     * @param cafile PEM certificates the server's certificate must chain to, or null to trust any
     */
    public static SslContext tlsContext(Path cafile) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
        if (cafile == null) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else {
            builder.trustManager(cafile.toFile());
        }
        return builder.build();
    }

    public boolean isTls() {
        return tls != null;
    }

    public boolean isWebSocket() {
        return webSocketPath != null;
    }

    /** {@code openssl} or {@code jdk}; empty without TLS. */
    public String tlsEngine() {
        return tls == null ? "" : OpenSsl.isAvailable() ? "openssl" : "jdk";
    }

    /** Protocol and cipher suite of the first completed TLS handshake, e.g. {@code TLSv1.3/TLS_AES_128_GCM_SHA256}. */
    public String negotiated() {
        return negotiated == null ? "" : negotiated;
    }

    /** Adds the front handlers to a new connection's pipeline, before any MQTT handler. */
    void addTo(ChannelPipeline p, InetSocketAddress broker) {
        if (tls != null) {
            SslHandler handler = tls.newHandler(p.channel().alloc());
            handler.handshakeFuture().addListener(f -> {
                if (f.isSuccess() && negotiated == null) {
                    SSLSession session = handler.engine().getSession();
                    negotiated = session.getProtocol() + "/" + session.getCipherSuite();
                }
            });
            p.addLast("tls", handler);
        }
        if (webSocketPath != null) {
            p.addLast("http", new HttpClientCodec());
            p.addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_RESPONSE));
            p.addLast("websocket", new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri(broker))
                    .subprotocol(SUBPROTOCOL)
                    .version(WebSocketVersion.V13)
                    .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                    .handshakeTimeoutMillis(UPGRADE_TIMEOUT_MILLIS)
                    .build()));
            p.addLast("websocket-bytes", new WebSocketBytes());
        }
    }

    private URI uri(InetSocketAddress broker) {
        String host = broker.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls != null ? "wss" : "ws") + "://" + host + ":" + broker.getPort() + webSocketPath);
    }
}
