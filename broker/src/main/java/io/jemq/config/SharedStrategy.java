package io.jemq.config;

/**
 * {@code broker.shared_subscription_strategy}: which member of a {@code $share}/{@code $queue} group gets a message.
 */
public enum SharedStrategy {
    RANDOM, ROUND_ROBIN, STICKY, HASH
}
