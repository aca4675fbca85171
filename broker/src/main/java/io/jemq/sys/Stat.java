package io.jemq.sys;

/**
 * The gauges EMQ publishes under {@code $SYS/brokers/<node>/stats/<name>/count} and {@code .../max}: how many there
 * are now, and the most there have been since the broker started. The value now is read from the structure that owns
 * it (bound in {@link Counters#bind}); owners report each new value through {@link Counters#observe} so the maximum
 * catches peaks between two reads. Prometheus names are EMQX 5's ({@code emqx_connections_count}...) where it has one.
 */
public enum Stat {
    /** Connected clients (after CONNACK). EMQX 5 calls them connections. */
    CLIENTS("clients", "emqx_connections", "connected clients"),
    /** Sessions, connected or kept for a disconnected client until they expire. */
    SESSIONS("sessions", "emqx_sessions", "sessions, connected or not"),
    /** Topic filters with at least one subscriber. */
    TOPICS("topics", "emqx_topics", "topic filters with at least one subscriber"),
    /** Subscriber × topic filter pairs, as EMQ's subscriber table counts them (the same figure as subscriptions). */
    SUBSCRIBERS("subscribers", "emqx_subscribers", "subscriber and topic filter pairs"),
    /** Subscriptions of every session, shared ones included. */
    SUBSCRIPTIONS("subscriptions", "emqx_subscriptions", "subscriptions of every session"),
    /** Routes: on one node, one per topic filter with a subscriber (the same figure as topics). */
    ROUTES("routes", "jemq_routes", "routes (on one node: topic filters with a subscriber)"),
    /** Retained messages held. */
    RETAINED("retained", "emqx_retained", "retained messages held");

    private final String name;
    private final String prometheusBase;
    private final String help;

    Stat(String name, String prometheusBase, String help) {
        this.name = name;
        this.prometheusBase = prometheusBase;
        this.help = help;
    }

    /** {@code clients/count}: the path under {@code $SYS/brokers/<node>/stats/}. */
    public String countPath() {
        return name + "/count";
    }

    /** {@code clients/max}. */
    public String maxPath() {
        return name + "/max";
    }

    public String prometheusCount() {
        return prometheusBase + "_count";
    }

    public String prometheusMax() {
        return prometheusBase + "_max";
    }

    public String help() {
        return help;
    }
}
