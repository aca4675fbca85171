package io.jemq.access;

import java.net.InetSocketAddress;

/**
 * Who is connecting, as authentication and authorization see it (and as {@code %c %u %a} placeholders fill in).
 *
 * @param protocolLevel 3 (3.1), 4 (3.1.1) or 5
 * @param username      null when the client sent none
 */
public record ClientInfo(String clientId, String username, InetSocketAddress peer, int protocolLevel,
                         String listenerId) {

    /** The peer's IP address as text ({@code %a}). */
    public String ipAddress() {
        return peer == null ? "" : peer.getAddress().getHostAddress();
    }
}
