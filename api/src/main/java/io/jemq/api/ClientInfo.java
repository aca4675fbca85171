package io.jemq.api;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Who is connecting, as authentication and authorization see it (and as {@code %c %u %a} placeholders fill in).
 *
 * @param protocolLevel  3 (3.1), 4 (3.1.1) or 5
 * @param username       null when the client sent none
 * @param certCommonName the TLS client certificate's common name ({@code %C}); null without a certificate
 * @param certSubject    the TLS client certificate's subject DN, RFC 2253 ({@code %d}); null without a certificate
 * @param httpHeaders    a WebSocket client's upgrade request headers, names in lower case; empty otherwise
 * @param cookies        a WebSocket client's upgrade request cookies; empty otherwise
 * @param mountpoint     the prefix the listener's mountpoint puts before this client's topics ({@code %m}), its
 *                       {@code %c}/{@code %u} filled in; empty when the listener has none
 * @param cleanStart     the CONNECT's clean session (3.1.1) or clean start (5.0) flag
 * @param keepalive      the keepalive the broker holds the client to, in seconds (the client's own value unless
 *                       {@code mqtt.server_keepalive} or {@code mqtt.max_keepalive} changed it); 0 = none
 */
public record ClientInfo(String clientId, String username, InetSocketAddress peer, int protocolLevel,
                         String listenerId, String certCommonName, String certSubject,
                         Map<String, String> httpHeaders, Map<String, String> cookies,
                         String mountpoint, boolean cleanStart, int keepalive) {

    public ClientInfo {
        httpHeaders = httpHeaders == null ? Map.of() : Map.copyOf(httpHeaders);
        cookies = cookies == null ? Map.of() : Map.copyOf(cookies);
        mountpoint = mountpoint == null ? "" : mountpoint;
    }

    /** Without what CONNECT tells beyond the client id: no mountpoint, clean start, no keepalive. */
    public ClientInfo(String clientId, String username, InetSocketAddress peer, int protocolLevel,
                      String listenerId, String certCommonName, String certSubject,
                      Map<String, String> httpHeaders, Map<String, String> cookies) {
        this(clientId, username, peer, protocolLevel, listenerId, certCommonName, certSubject, httpHeaders, cookies,
                "", true, 0);
    }

    /** A client without a certificate or an upgrade request (plain TCP). */
    public ClientInfo(String clientId, String username, InetSocketAddress peer, int protocolLevel,
                      String listenerId) {
        this(clientId, username, peer, protocolLevel, listenerId, null, null, Map.of(), Map.of());
    }

    /** The peer's IP address as text ({@code %a}). */
    public String ipAddress() {
        return peer == null ? "" : peer.getAddress().getHostAddress();
    }
}
