package io.jemq.config;

import java.time.Duration;

/**
 * Session behaviour from the {@code mqtt.session.*} keys.
 *
 * @param maxSubscriptions  {@code mqtt.session.max_subscriptions} (0 = no limit)
 * @param upgradeQos        {@code mqtt.session.upgrade_qos} (off): deliver at the subscription's QoS, not the lower one
 * @param maxInflight       {@code mqtt.session.max_inflight} (32): unacknowledged QoS 1/2 deliveries per session
 * @param retryInterval     {@code mqtt.session.retry_interval} (20s): redelivery of unacknowledged messages with DUP
 * @param maxAwaitingRel    {@code mqtt.session.max_awaiting_rel} (1000): inbound QoS 2 awaiting PUBREL; also the
 *                          Receive Maximum sent in a 5.0 CONNACK
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
}
