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
 * @param maxKeepalive      {@code mqtt.max_keepalive} (Mosquitto's name; zero = no cap): the longest keepalive a
 *                          client gets, also for one asking for none; {@code serverKeepalive} wins for 5.0 clients
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
        Duration maxKeepalive,
        Duration connectTimeout,
        boolean allowAnonymous) {

    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.allow_anonymous", "mqtt.client.idle_timeout",
            "mqtt.keepalive_backoff", "mqtt.max_clientid_len", "mqtt.max_keepalive", "mqtt.max_packet_size",
            "mqtt.max_topic_alias", "mqtt.max_topic_levels", "mqtt.server_keepalive");

    /** MQTT's own limit: a remaining length of at most 268435455 plus the fixed header. */
    private static final int MQTT_MAX_PACKET = 256 * 1024 * 1024;
    /** Topic aliases and (Server) Keep Alive are two-byte fields. */
    private static final int TWO_BYTES = 65535;

    /** Reads the {@code mqtt.*} protocol keys with EMQ's defaults. */
    public static MqttSettings from(ConfFile f) {
        return new MqttSettings(
                f.bytes("mqtt.max_packet_size", "64KB", 1, MQTT_MAX_PACKET),
                f.integer("mqtt.max_clientid_len", 1024, 1, TWO_BYTES),
                f.integer("mqtt.max_topic_levels", 128, 0, TWO_BYTES),
                f.integer("mqtt.max_topic_alias", TWO_BYTES, 0, TWO_BYTES),
                // below 0.5 a client would be dropped before its keepalive is even due
                f.decimal("mqtt.keepalive_backoff", 0.75, 0.5, 10),
                f.wholeSeconds("mqtt.server_keepalive", "0", TWO_BYTES),
                f.wholeSeconds("mqtt.max_keepalive", "0", TWO_BYTES),
                f.duration("mqtt.client.idle_timeout", "30s", Duration.ofMillis(1), null),
                f.bool("mqtt.allow_anonymous", true));
    }
}
