package io.jemq.transport;

import java.util.concurrent.atomic.LongAdder;

/** What happened at one listener's transport level, for operators: refusals, failed handshakes, stalled clients. */
public final class ListenerStats {
    final LongAdder deniedByAccess = new LongAdder();
    final LongAdder tlsHandshakeFailures = new LongAdder();
    final LongAdder webSocketUpgradeFailures = new LongAdder();
    final LongAdder proxyProtocolFailures = new LongAdder();
    final LongAdder sendTimeouts = new LongAdder();

    /** Connections closed at accept by an {@code access} rule. */
    public long deniedByAccess() {
        return deniedByAccess.sum();
    }

    /** TLS handshakes that failed or timed out (wrong CA, no client certificate, plain MQTT on a TLS port...). */
    public long tlsHandshakeFailures() {
        return tlsHandshakeFailures.sum();
    }

    /** HTTP requests that did not become a WebSocket (wrong path, subprotocol or method). */
    public long webSocketUpgradeFailures() {
        return webSocketUpgradeFailures.sum();
    }

    /** Connections without a valid PROXY protocol header in time. */
    public long proxyProtocolFailures() {
        return proxyProtocolFailures.sum();
    }

    /** Connections closed because their writes made no progress for {@code send_timeout}. */
    public long sendTimeouts() {
        return sendTimeouts.sum();
    }
}
