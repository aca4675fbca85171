package io.jemq.sys;

/**
 * Every broker-wide counter jemq keeps, each named by its path in EMQ's {@code $SYS/brokers/<node>/metrics/} tree
 * and by its Prometheus name: EMQX 5's name where EMQX 5 has the same figure, a {@code jemq_} name where it has not.
 * Bumped through {@link Counters}; docs/metrics.md says what each one counts.
 *
 * <p>{@link #MESSAGES_RETAINED} is EMQ 2.x's one gauge in this tree (the retained messages held now): its value is read
 * from {@link Stat#RETAINED}, not counted.
 */
public enum Counter {
    BYTES_RECEIVED("bytes/received", "emqx_bytes_received", "bytes received from clients, as on the wire"),
    BYTES_SENT("bytes/sent", "emqx_bytes_sent", "bytes sent to clients, as on the wire"),

    PACKETS_RECEIVED("packets/received", "emqx_packets_received", "MQTT packets received, every type"),
    PACKETS_SENT("packets/sent", "emqx_packets_sent", "MQTT packets sent, every type"),
    PACKETS_CONNECT("packets/connect", "emqx_packets_connect", "CONNECT packets received"),
    PACKETS_CONNACK("packets/connack", "emqx_packets_connack_sent", "CONNACK packets sent, accepted or refused"),
    PACKETS_PUBLISH_RECEIVED("packets/publish/received", "emqx_packets_publish_received", "PUBLISH packets received"),
    PACKETS_PUBLISH_SENT("packets/publish/sent", "emqx_packets_publish_sent", "PUBLISH packets sent"),
    PACKETS_PUBACK_RECEIVED("packets/puback/received", "emqx_packets_puback_received", "PUBACK packets received"),
    PACKETS_PUBACK_SENT("packets/puback/sent", "emqx_packets_puback_sent", "PUBACK packets sent"),
    PACKETS_PUBACK_MISSED("packets/puback/missed", "emqx_packets_puback_missed",
            "PUBACK packets for a packet id the session was not waiting for"),
    PACKETS_PUBREC_RECEIVED("packets/pubrec/received", "emqx_packets_pubrec_received", "PUBREC packets received"),
    PACKETS_PUBREC_SENT("packets/pubrec/sent", "emqx_packets_pubrec_sent", "PUBREC packets sent"),
    PACKETS_PUBREC_MISSED("packets/pubrec/missed", "emqx_packets_pubrec_missed",
            "PUBREC packets for a packet id the session was not waiting for"),
    PACKETS_PUBREL_RECEIVED("packets/pubrel/received", "emqx_packets_pubrel_received", "PUBREL packets received"),
    PACKETS_PUBREL_SENT("packets/pubrel/sent", "emqx_packets_pubrel_sent", "PUBREL packets sent"),
    PACKETS_PUBREL_MISSED("packets/pubrel/missed", "emqx_packets_pubrel_missed",
            "PUBREL packets for a packet id with no QoS 2 message awaiting release"),
    PACKETS_PUBCOMP_RECEIVED("packets/pubcomp/received", "emqx_packets_pubcomp_received", "PUBCOMP packets received"),
    PACKETS_PUBCOMP_SENT("packets/pubcomp/sent", "emqx_packets_pubcomp_sent", "PUBCOMP packets sent"),
    PACKETS_PUBCOMP_MISSED("packets/pubcomp/missed", "emqx_packets_pubcomp_missed",
            "PUBCOMP packets for a packet id the session was not waiting for"),
    PACKETS_SUBSCRIBE("packets/subscribe", "emqx_packets_subscribe_received", "SUBSCRIBE packets received"),
    PACKETS_SUBACK("packets/suback", "emqx_packets_suback_sent", "SUBACK packets sent"),
    PACKETS_UNSUBSCRIBE("packets/unsubscribe", "emqx_packets_unsubscribe_received", "UNSUBSCRIBE packets received"),
    PACKETS_UNSUBACK("packets/unsuback", "emqx_packets_unsuback_sent", "UNSUBACK packets sent"),
    PACKETS_PINGREQ("packets/pingreq", "emqx_packets_pingreq_received", "PINGREQ packets received"),
    PACKETS_PINGRESP("packets/pingresp", "emqx_packets_pingresp_sent", "PINGRESP packets sent"),
    PACKETS_DISCONNECT("packets/disconnect", "emqx_packets_disconnect_received", "DISCONNECT packets received"),
    PACKETS_DISCONNECT_SENT("packets/disconnect/sent", "emqx_packets_disconnect_sent",
            "DISCONNECT packets sent (MQTT 5.0 only)"),
    PACKETS_MALFORMED("packets/malformed", "jemq_packets_malformed",
            "packets that could not be decoded or broke the protocol; each closed its connection"),

    MESSAGES_RECEIVED("messages/received", "emqx_messages_received", "application messages received from clients"),
    MESSAGES_SENT("messages/sent", "emqx_messages_sent", "application messages sent to clients"),
    MESSAGES_QOS0_RECEIVED("messages/qos0/received", "emqx_messages_qos0_received", "QoS 0 messages received"),
    MESSAGES_QOS0_SENT("messages/qos0/sent", "emqx_messages_qos0_sent", "QoS 0 messages sent"),
    MESSAGES_QOS1_RECEIVED("messages/qos1/received", "emqx_messages_qos1_received", "QoS 1 messages received"),
    MESSAGES_QOS1_SENT("messages/qos1/sent", "emqx_messages_qos1_sent", "QoS 1 messages sent"),
    MESSAGES_QOS2_RECEIVED("messages/qos2/received", "emqx_messages_qos2_received", "QoS 2 messages received"),
    MESSAGES_QOS2_SENT("messages/qos2/sent", "emqx_messages_qos2_sent", "QoS 2 messages sent"),
    MESSAGES_QOS2_DROPPED("messages/qos2/dropped", "jemq_messages_qos2_dropped",
            "QoS 2 messages dropped because too many awaited PUBREL (mqtt.session.max_awaiting_rel)"),
    MESSAGES_DROPPED("messages/dropped", "emqx_messages_dropped",
            "messages that reached no one or were thrown away (no subscriber, ACL, queue full, expired, too large)"),
    MESSAGES_DROPPED_NO_SUBSCRIBERS("messages/dropped/no_subscribers", "emqx_messages_dropped_no_subscribers",
            "published messages that matched no subscriber (part of messages/dropped)"),
    MESSAGES_DROPPED_QUEUE_FULL("messages/dropped/queue_full", "emqx_delivery_dropped_queue_full",
            "messages dropped because a session's queue was full (part of messages/dropped)"),
    MESSAGES_RETAINED("messages/retained", "jemq_messages_retained", "retained messages held now (a gauge)",
            Stat.RETAINED),
    MESSAGES_RETRANSMITTED("messages/retransmitted", "jemq_messages_retransmitted",
            "QoS 1 and 2 deliveries sent again (PUBLISH with DUP, or PUBREL) to a client that had not acknowledged"),

    CONNECTIONS_REFUSED("connections/refused", "jemq_connections_refused",
            "connections refused: access rules, max_clients, or a CONNACK with a refusal code"),

    AUTH_ANONYMOUS("auth/anonymous", "emqx_authentication_success_anonymous",
            "clients accepted because no source decided and mqtt.allow_anonymous is true"),
    ACL_ALLOW("acl/allow", "emqx_authorization_allow", "ACL checks that allowed (cached answers included)"),
    ACL_DENY("acl/deny", "emqx_authorization_deny", "ACL checks that denied (cached answers included)"),
    ACL_CACHE_HIT("acl/cache/hit", "emqx_authorization_cache_hit", "ACL checks answered from the client's cache"),
    ACL_CACHE_MISS("acl/cache/miss", "jemq_authorization_cache_miss", "ACL checks the client's cache could not answer");

    private final String path;
    private final String prometheusName;
    private final String help;
    private final Stat gaugeOf;

    Counter(String path, String prometheusName, String help) {
        this(path, prometheusName, help, null);
    }

    Counter(String path, String prometheusName, String help, Stat gaugeOf) {
        this.path = path;
        this.prometheusName = prometheusName;
        this.help = help;
        this.gaugeOf = gaugeOf;
    }

    /** The path under {@code $SYS/brokers/<node>/metrics/}, e.g. {@code packets/puback/missed}. */
    public String path() {
        return path;
    }

    public String prometheusName() {
        return prometheusName;
    }

    /** One line for the Prometheus {@code # HELP} and the docs. */
    public String help() {
        return help;
    }

    /** Whether the value is read from a stat (it goes up and down) rather than counted. */
    public boolean isGauge() {
        return gaugeOf != null;
    }

    Stat gaugeOf() {
        return gaugeOf;
    }
}
