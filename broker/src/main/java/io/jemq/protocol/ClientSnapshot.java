package io.jemq.protocol;

import java.net.InetSocketAddress;

/**
 * A connected client as the management view shows it, taken on the connection's event loop at one moment.
 *
 * @param peer          the client's address (what a trusted proxy said, else the socket's peer)
 * @param protocolLevel 3 (3.1), 4 (3.1.1) or 5
 * @param keepalive     the keepalive the broker holds the client to, in seconds; 0 = none
 * @param connectedAt   when CONNACK was sent, epoch milliseconds
 * @param mountpoint    the listener's mountpoint for this client; empty for none
 * @param inflight      messages sent and not yet acknowledged; -1 when the session moved to another connection
 * @param queued        messages waiting for the inflight window; -1 when the session moved to another connection
 */
public record ClientSnapshot(String clientId, String username, InetSocketAddress peer, int protocolLevel,
                             boolean cleanStart, int keepalive, long connectedAt, String listenerId,
                             String mountpoint, int inflight, int queued) {
}
