package io.jemq.config;

import java.time.Duration;

/**
 * Protocol limits and behaviour from the {@code mqtt.*} keys.
 *
 * @param maxPacketSize     {@code mqtt.max_packet_size} (64KB): larger packets are refused from their fixed header
 * @param maxClientIdLength {@code mqtt.max_clientid_len} (1024)
 * @param maxTopicLevels    {@code mqtt.max_topic_levels} (128, EMQX 5 name; 0 = no limit)
 * @param maxTopicAlias     {@code mqtt.max_topic_alias} (65535, EMQX 5 name; 0 disables inbound aliases)
 * @param keepaliveBackoff  {@code mqtt.keepalive_backoff} (0.75): a client is dropped after keepalive × backoff × 2
 * @param serverKeepalive   {@code mqtt.server_keepalive} (EMQX 5 name; zero = use the client's value)
 * @param connectTimeout    {@code mqtt.client.idle_timeout} (30s): a socket that sends no CONNECT by then is closed
 * @param allowAnonymous    {@code mqtt.allow_anonymous} (true)
 */
public record MqttSettings(
        int maxPacketSize,
        int maxClientIdLength,
        int maxTopicLevels,
        int maxTopicAlias,
        double keepaliveBackoff,
        Duration serverKeepalive,
        Duration connectTimeout,
        boolean allowAnonymous) {
}
