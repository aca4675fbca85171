package io.jemq.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One {@code listener.<protocol>.<name>} block.
 *
 * @param protocol             {@code tcp}, {@code ssl} (MQTT over TLS), {@code ws} or {@code wss}
 * @param name                 the block's name, e.g. {@code external}
 * @param host                 the bind address ({@code 0.0.0.0} when the value is a bare port)
 * @param port                 0 binds an ephemeral port (tests); ask {@code Broker.boundPort(id())}
 * @param acceptors            {@code .acceptors}
 * @param maxClients           {@code .max_clients}: connections beyond it are closed at accept
 * @param backlog              {@code .backlog}
 * @param nodelay              {@code .nodelay}
 * @param sndbuf               {@code .sndbuf} in bytes, 0 = the OS default
 * @param recbuf               {@code .recbuf} in bytes, 0 = the OS default
 * @param access               {@code .access.N} rules in the order of N; the first match decides, no match allows
 * @param sendTimeout          {@code .send_timeout}: how long writes to a client may make no progress
 * @param sendTimeoutClose     {@code .send_timeout_close}: close a connection whose writes stalled that long
 * @param mountpoint           {@code .mountpoint}, e.g. {@code devices/%c/}; empty = none
 * @param rateLimit            {@code .rate_limit}: bytes a connection may send us
 * @param proxyProtocol        {@code .proxy_protocol}: every connection starts with a PROXY protocol v1 or v2 header
 * @param proxyProtocolTimeout {@code .proxy_protocol_timeout}: how long to wait for that header
 * @param peerCertAsUsername   {@code .peer_cert_as_username}: the client certificate's CN or DN as the username
 * @param peerCertAsClientid   {@code .peer_cert_as_clientid}: the client certificate's CN or DN as the client id
 * @param tls                  the TLS settings of {@code ssl} and {@code wss} listeners
 * @param webSocket            the WebSocket settings of {@code ws} and {@code wss} listeners
 */
public record ListenerSettings(
        String protocol,
        String name,
        String host,
        int port,
        int acceptors,
        int maxClients,
        int backlog,
        boolean nodelay,
        int sndbuf,
        int recbuf,
        List<AccessRule> access,
        Duration sendTimeout,
        boolean sendTimeoutClose,
        String mountpoint,
        Optional<RateLimit> rateLimit,
        boolean proxyProtocol,
        Duration proxyProtocolTimeout,
        PeerCertIdentity peerCertAsUsername,
        PeerCertIdentity peerCertAsClientid,
        Optional<TlsSettings> tls,
        Optional<WebSocketSettings> webSocket) {

    public ListenerSettings {
        access = List.copyOf(access);
    }

    /** A plain listener with EMQ's defaults for everything past the socket options (tests, tools). */
    public ListenerSettings(String protocol, String name, String host, int port, int acceptors, int maxClients,
                            int backlog, boolean nodelay, int sndbuf, int recbuf) {
        this(protocol, name, host, port, acceptors, maxClients, backlog, nodelay, sndbuf, recbuf,
                List.of(AccessRule.ALLOW_ALL), Duration.ofSeconds(15), true, "", Optional.empty(), false,
                Duration.ofSeconds(3), PeerCertIdentity.OFF, PeerCertIdentity.OFF, Optional.empty(), Optional.empty());
    }

    /** {@code tcp.external}: how logs, metrics and {@code Broker.boundPort} name this listener. */
    public String id() {
        // one String for every connection of the listener: each keeps the id in its state, 15k copies add up
        return (protocol + "." + name).intern();
    }

    public boolean isTls() {
        return tls.isPresent();
    }

    public boolean isWebSocket() {
        return webSocket.isPresent();
    }
}
