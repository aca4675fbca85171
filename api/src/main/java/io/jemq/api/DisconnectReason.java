package io.jemq.api;

/**
 * Why a client's connection ended, as {@link BrokerListener#clientDisconnected} says, named as EMQ names it in its
 * {@code disconnected} events and logs.
 */
public enum DisconnectReason {
    /** The client sent DISCONNECT. */
    NORMAL("normal"),
    /** The connection went away without DISCONNECT (socket closed or reset, network error). */
    CLOSED("closed"),
    KEEPALIVE_TIMEOUT("keepalive_timeout"),
    /** No complete CONNECT within {@code mqtt.client.idle_timeout}. */
    CONNECT_TIMEOUT("connect_timeout"),
    /** Another connection with the same client id took the session over. */
    TAKEOVER("takeovered"),
    /** An operator kicked it ({@code ctl clients kick}, the REST API, the dashboard). */
    KICKED("kicked"),
    PROTOCOL_ERROR("protocol_error"),
    MALFORMED_PACKET("malformed_packet"),
    PACKET_TOO_LARGE("packet_too_large"),
    /** A publish or subscribe was denied and the client is disconnected for it (MQTT 5, or EMQ's deny action). */
    NOT_AUTHORIZED("acl_deny"),
    /** The client's writes made no progress for {@code send_timeout}. */
    SEND_TIMEOUT("send_timeout"),
    /** The broker is stopping. */
    SERVER_SHUTDOWN("shutdown"),
    /** Something failed inside the broker; it is logged with its cause. */
    INTERNAL_ERROR("internal_error");

    private final String emqName;

    DisconnectReason(String emqName) {
        this.emqName = emqName;
    }

    /** The reason as EMQ writes it ({@code keepalive_timeout}). */
    public String emqName() {
        return emqName;
    }
}
