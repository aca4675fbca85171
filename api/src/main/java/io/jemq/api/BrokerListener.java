package io.jemq.api;

/**
 * What happens in the broker, for whoever needs to know: {@code $SYS} presence and metrics, trace, the dashboard's
 * live figures, cluster routes. Every method has a do-nothing default, so a listener overrides only what it wants.
 *
 * <p>Threads: each event is called on the event loop that owns the client (or session) it is about, right after the
 * fact, in the order things happened to that client. A listener must return quickly and must not block: hand slow
 * work (files, network) to a thread of its own. An exception it throws is logged and otherwise ignored. When no
 * listener is registered the broker makes no event objects at all.
 */
public interface BrokerListener {
    /**
     * A CONNECT was answered.
     *
     * @param connackCode the CONNACK's return code (3.1/3.1.1) or reason code (5.0); 0 when the client was accepted
     */
    default void clientConnected(ClientInfo client, int connackCode) {
    }

    /** An accepted client's connection ended (never called for a refused CONNECT). */
    default void clientDisconnected(ClientInfo client, DisconnectReason reason) {
    }

    /** A session was created for a client (clean start, or no session was kept). */
    default void sessionCreated(String clientId) {
    }

    /** A client took up the session it had left (persistent session present). */
    default void sessionResumed(String clientId) {
    }

    /** A session was discarded: clean at disconnect, expired, or replaced by a clean start. */
    default void sessionEnded(String clientId) {
    }

    /**
     * A subscription was granted (also when it replaced one on the same filter).
     *
     * @param filter as the client wrote it: a {@code $share/<group>/} prefix kept, the listener's mountpoint not
     *               applied ({@link ClientInfo#mountpoint()} says where it lands)
     */
    default void subscribed(ClientInfo client, String filter, int qos) {
    }

    /** A subscription was removed by UNSUBSCRIBE; {@code filter} as the client wrote it. */
    default void unsubscribed(ClientInfo client, String filter) {
    }

    /** A message was accepted for routing (after ACL and retain handling; wills and API publishes too). */
    default void messagePublished(PublishedMessage message) {
    }

    /** A message was written to a subscriber's connection. */
    default void messageDelivered(String clientId, PublishedMessage message) {
    }

    /**
     * A subscriber acknowledged a message: PUBACK for QoS 1, PUBREC for QoS 2 (the broker lets the message go then and
     * keeps only the packet id until PUBCOMP), as EMQ 2.x runs its {@code message.acked} hook.
     */
    default void messageAcked(String clientId, PublishedMessage message) {
    }

    /**
     * A message was not delivered.
     *
     * @param clientId the subscriber it was not delivered to; null when it reached no subscriber at all
     */
    default void messageDropped(String clientId, PublishedMessage message, DropReason reason) {
    }
}
