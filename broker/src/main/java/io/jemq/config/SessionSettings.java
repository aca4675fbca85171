package io.jemq.config;

import java.time.Duration;

/**
 * Session behaviour from the {@code mqtt.session.*} keys.
 *
 * @param maxSubscriptions  {@code mqtt.session.max_subscriptions} (10000; 0 = no limit): more than EMQ's 0, so
 *                          that one client cannot take the whole subscriptions budget
 * @param upgradeQos        {@code mqtt.session.upgrade_qos} (off): deliver at the subscription's QoS, not the lower one
 * @param maxInflight       {@code mqtt.session.max_inflight} (32): unacknowledged QoS 1/2 deliveries per session;
 *                          1..65535 (EMQ's 0 = no limit is read as 65535)
 * @param retryInterval     {@code mqtt.session.retry_interval} (20s): redelivery of unacknowledged messages with DUP
 * @param maxAwaitingRel    {@code mqtt.session.max_awaiting_rel} (1000): inbound QoS 2 awaiting PUBREL; also the
 *                          Receive Maximum sent in a 5.0 CONNACK; 1..65535 (EMQ's 0 = no limit is read as 65535)
 * @param awaitRelTimeout   {@code mqtt.session.await_rel_timeout} (30s)
 * @param expiryInterval    {@code mqtt.session.expiry_interval} (2h): how long a persistent session outlives its
 *                          connection (3.1.1; a 5.0 client sends its own)
 * @param ignoreLoopDeliver {@code mqtt.session.ignore_loop_deliver} (false): never deliver a client its own messages
 */
public record SessionSettings(
        int maxSubscriptions,
        boolean upgradeQos,
        int maxInflight,
        Duration retryInterval,
        int maxAwaitingRel,
        Duration awaitRelTimeout,
        Duration expiryInterval,
        boolean ignoreLoopDeliver) {

    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.session.await_rel_timeout", "mqtt.session.expiry_interval",
            "mqtt.session.ignore_loop_deliver", "mqtt.session.max_awaiting_rel", "mqtt.session.max_inflight",
            "mqtt.session.max_subscriptions", "mqtt.session.retry_interval", "mqtt.session.upgrade_qos");

    /** Both windows are bounded by the two-byte packet id; EMQ's "0 = no limit" means all of them. */
    private static final int PACKET_IDS = 65535;

    /** Reads the {@code mqtt.session.*} keys with EMQ's defaults. */
    public static SessionSettings from(ConfFile f) {
        return new SessionSettings(
                f.integer("mqtt.session.max_subscriptions", 10_000, 0, Integer.MAX_VALUE),
                f.bool("mqtt.session.upgrade_qos", false),
                window(f.integer("mqtt.session.max_inflight", 32, 0, PACKET_IDS)),
                f.duration("mqtt.session.retry_interval", "20s", Duration.ofMillis(1), null),
                window(f.integer("mqtt.session.max_awaiting_rel", 1000, 0, PACKET_IDS)),
                f.duration("mqtt.session.await_rel_timeout", "30s", Duration.ofMillis(1), null),
                f.duration("mqtt.session.expiry_interval", "2h"),
                f.bool("mqtt.session.ignore_loop_deliver", false));
    }

    private static int window(int configured) {
        return configured == 0 ? PACKET_IDS : configured;
    }
}
