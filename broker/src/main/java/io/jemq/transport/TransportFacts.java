package io.jemq.transport;

import io.jemq.config.PeerCertIdentity;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * What the transport learnt about a client before its first MQTT byte, and the listener's per-connection policy:
 * the client's real address (from a PROXY protocol header or a proxy's X-Forwarded-For), its TLS certificate, the
 * WebSocket upgrade request's headers and cookies, the mountpoint template and whether the certificate names the
 * client. The transport fills it in as it learns (handshakes finish after the pipeline is built); the protocol layer
 * reads it at CONNECT. Lives in a channel attribute; touched only on the channel's event loop.
 */
public final class TransportFacts {
    private static final AttributeKey<TransportFacts> KEY = AttributeKey.valueOf("jemq.transportFacts");

    private final String mountpoint;
    private final PeerCertIdentity certAsUsername;
    private final PeerCertIdentity certAsClientId;
    private InetSocketAddress peer;
    private String certCommonName;
    private String certSubject;
    private Map<String, String> headers = Map.of();
    private Map<String, String> cookies = Map.of();

    public TransportFacts(String mountpoint, PeerCertIdentity certAsUsername, PeerCertIdentity certAsClientId) {
        this.mountpoint = mountpoint;
        this.certAsUsername = certAsUsername;
        this.certAsClientId = certAsClientId;
    }

    /** Attaches the facts to a new channel (done by the pipeline builder). */
    public void attachTo(Channel channel) {
        channel.attr(KEY).set(this);
    }

    /** The channel's facts; a channel built without any (a test's EmbeddedChannel) gets plain TCP's. */
    public static TransportFacts of(Channel channel) {
        TransportFacts f = channel.attr(KEY).get();
        return f == null ? new TransportFacts("", PeerCertIdentity.OFF, PeerCertIdentity.OFF) : f;
    }

    /** The client's address: what a trusted proxy said, else the socket's peer. */
    public InetSocketAddress peer(Channel channel) {
        if (peer != null) {
            return peer;
        }
        SocketAddress a = channel.remoteAddress();
        return a instanceof InetSocketAddress inet ? inet : null;
    }

    public void setPeer(InetSocketAddress peer) {
        this.peer = peer;
    }

    /** From a verified client certificate: {@code %C}. Null without one. */
    public String certCommonName() {
        return certCommonName;
    }

    /** From a verified client certificate, RFC 2253: {@code %d}. Null without one. */
    public String certSubject() {
        return certSubject;
    }

    public void setCertificate(String commonName, String subject) {
        this.certCommonName = commonName;
        this.certSubject = subject;
    }

    /** The WebSocket upgrade request's headers, names in lower case; empty for other transports. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The WebSocket upgrade request's cookies; empty for other transports. */
    public Map<String, String> cookies() {
        return cookies;
    }

    public void setUpgradeRequest(Map<String, String> headers, Map<String, String> cookies) {
        this.headers = Map.copyOf(headers);
        this.cookies = Map.copyOf(cookies);
    }

    /** The listener's mountpoint template, {@code %c}/{@code %u} not yet filled in; empty for none. */
    public String mountpoint() {
        return mountpoint;
    }

    /** The username to authenticate: the certificate's CN or DN when the listener says so and there is one. */
    public String username(String fromConnect) {
        return pick(certAsUsername, fromConnect);
    }

    /** The client id to use: the certificate's CN or DN when the listener says so and there is one. */
    public String clientId(String fromConnect) {
        return pick(certAsClientId, fromConnect);
    }

    private String pick(PeerCertIdentity which, String fromConnect) {
        return switch (which) {
            case CN -> certCommonName != null ? certCommonName : fromConnect;
            case DN -> certSubject != null ? certSubject : fromConnect;
            case OFF -> fromConnect;
        };
    }
}
