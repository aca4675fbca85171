package io.jemq.transport;

import io.jemq.config.WebSocketSettings;
import io.jemq.sys.ListenerCounter;
import io.jemq.sys.ListenerCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the one HTTP request a WebSocket client starts with into an MQTT connection, as EMQ's {@code emqttd_ws}
 * does: a GET on the listener's path ({@code /mqtt}) with {@code Upgrade: websocket}, asking (when
 * {@code mqtt.websocket_protocol_header} is on) for a subprotocol starting with {@code mqtt}. Anything else gets its
 * HTTP answer and the connection is closed: another path 404, no upgrade 400 "Bad Request", a wrong subprotocol 400
 * "Bad WebSocket Protocol". On success the request's headers and cookies (and the client address a trusted proxy
 * reports) go to the connection's {@link TransportFacts}, and this step is replaced by {@link WebSocketFrames}.
 */
final class WebSocketUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** What MQTT clients ask for, offered when the check is off and the client asked for none of them. */
    static final String SUBPROTOCOLS = "mqtt,mqttv3.1,mqttv3.1.1";

    private final WebSocketSettings settings;
    private final int maxFramePayload;
    private final ListenerCounters counters;

    WebSocketUpgrade(WebSocketSettings settings, int maxFramePayload, ListenerCounters counters) {
        this.settings = settings;
        this.maxFramePayload = maxFramePayload;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Bad Request", "malformed HTTP request");
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals(settings.path()) || !HttpMethod.GET.equals(req.method())) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "Not Found", req.method() + " " + path);
            return;
        }
        if (!HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE, ""))) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Bad Request", "no Upgrade: websocket");
            return;
        }
        String wanted = req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        String mqtt = firstMqttSubprotocol(wanted);
        if (settings.protocolHeader() && mqtt == null) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "Bad WebSocket Protocol", "subprotocol " + wanted);
            return;
        }
        // the handshaker echoes the one it finds in its list: the client's own mqtt* spelling
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                url(ctx, req), mqtt != null ? mqtt : SUBPROTOCOLS, false, maxFramePayload).newHandshaker(req);
        if (handshaker == null) {
            counters.bump(ListenerCounter.WEBSOCKET_UPGRADE_FAILURES);
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        remember(ctx, req);
        // adds Netty's frame decoder and encoder in place of the HTTP codec, and answers 101
        handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.pipeline().replace(this, HandlerNames.WS_FRAMES, new WebSocketFrames());
    }

    /**
     * The first requested subprotocol that starts with {@code mqtt} (EMQ's test: {@code mqtt}, {@code mqttv3.1},
     * {@code mqtt-v3.1.1}...), or null; several may be listed ({@code chat, mqtt}).
     */
    private static String firstMqttSubprotocol(String header) {
        if (header == null) {
            return null;
        }
        for (String p : header.split(",")) {
            String name = p.trim();
            if (name.toLowerCase(Locale.ROOT).startsWith("mqtt")) {
                return name;
            }
        }
        return null;
    }

    private void remember(ChannelHandlerContext ctx, FullHttpRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(),
                (a, b) -> a + ", " + b));
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : req.headers().getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                cookies.put(c.name(), c.value());
            }
        }
        TransportFacts facts = TransportFacts.of(ctx.channel());
        facts.setUpgradeRequest(headers, cookies);
        settings.proxyAddressHeader().ifPresent(name -> forwardedPeer(req, name, facts.peer(ctx.channel()))
                .ifPresent(facts::setPeer));
    }

    /** The first address of X-Forwarded-For (the client as the proxy saw it), with X-Forwarded-Port when set. */
    private Optional<InetSocketAddress> forwardedPeer(FullHttpRequest req, String header,
                                                                InetSocketAddress socketPeer) {
        String value = req.headers().get(header);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String first = value.split(",")[0].trim();
        if (first.startsWith("[") && first.endsWith("]")) {
            first = first.substring(1, first.length() - 1);
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(first);   // a literal only, never a DNS lookup
        if (bytes == null) {
            log.debug("ignoring {}: {} is not an IP address", header, first);
            return Optional.empty();
        }
        int port = socketPeer == null ? 0 : socketPeer.getPort();
        String portText = settings.proxyPortHeader().map(req.headers()::get).orElse(null);
        if (portText != null && portText.trim().matches("\\d{1,5}") && Integer.parseInt(portText.trim()) <= 65535) {
            port = Integer.parseInt(portText.trim());
        }
        try {
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(bytes), port));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private String url(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean tls = ctx.pipeline().get(HandlerNames.TLS) != null;
        return (tls ? "wss://" : "ws://") + req.headers().get(HttpHeaderNames.HOST, "localhost") + settings.path();
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String body, String why) {
        counters.bump(ListenerCounter.WEBSOCKET_UPGRADE_FAILURES);
        log.debug("refusing HTTP request from {}: {} ({})", ctx.channel().remoteAddress(), status, why);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing {} before its WebSocket upgrade: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
