package io.jemq.routing;

/**
 * Options of one subscription, with MQTT 5 names; a 3.1.1 subscription uses only {@code qos}.
 *
 * @param qos               maximum QoS granted, 0..2
 * @param noLocal           do not deliver the subscriber's own messages (ignored for shared subscriptions, where
 *                          MQTT 5 makes it a protocol error the session rejects first)
 * @param retainAsPublished forward the RETAIN flag as published instead of clearing it
 * @param retainHandling    0 send retained at subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId    MQTT 5 subscription identifier, 1..268435455; 0 = none
 */
public record SubOptions(int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {

    private static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    public SubOptions {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2, got " + qos);
        }
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retainHandling must be 0..2, got " + retainHandling);
        }
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscriptionId must be 0..268435455, got " + subscriptionId);
        }
    }
}
