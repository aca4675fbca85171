package io.jemq.sys;

/**
 * What happens at one listener's transport level, counted per listener id in {@link ListenerCounters}: published
 * under {@code $SYS/brokers/<node>/metrics/listeners/<id>/<path>} and exported to Prometheus with a
 * {@code listener} label. EMQ has no such figures; these names are jemq's.
 */
public enum ListenerCounter {
    ACCEPTED("connections/accepted", "jemq_listener_connections_accepted",
            "sockets accepted (past the access rules and max_clients)"),
    DENIED_BY_ACCESS("connections/denied", "jemq_listener_connections_denied",
            "sockets closed at accept by an access rule of the listener"),
    REFUSED_MAX_CLIENTS("connections/refused", "jemq_listener_connections_refused",
            "sockets closed at accept because the listener's max_clients was reached"),
    TLS_HANDSHAKE_FAILURES("tls/handshake_failures", "jemq_listener_tls_handshake_failures",
            "TLS handshakes that failed or timed out"),
    WEBSOCKET_UPGRADE_FAILURES("websocket/upgrade_failures", "jemq_listener_websocket_upgrade_failures",
            "HTTP requests that did not become a WebSocket (wrong path, subprotocol or method)"),
    PROXY_PROTOCOL_FAILURES("proxy_protocol/failures", "jemq_listener_proxy_protocol_failures",
            "connections without a valid PROXY protocol header in time"),
    SEND_TIMEOUTS("send_timeouts", "jemq_listener_send_timeouts",
            "connections whose writes made no progress for send_timeout");

    private final String path;
    private final String prometheusName;
    private final String help;

    ListenerCounter(String path, String prometheusName, String help) {
        this.path = path;
        this.prometheusName = prometheusName;
        this.help = help;
    }

    /** The path under {@code listeners/<id>/}. */
    public String path() {
        return path;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String help() {
        return help;
    }
}
