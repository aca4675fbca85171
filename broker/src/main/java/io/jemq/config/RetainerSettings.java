package io.jemq.config;

import java.time.Duration;

/**
 * @param maxMessageNum  {@code retainer.max_message_num} (1000000; 0 = no limit): new retained topics are refused
 *                       beyond it (replacing an existing one is always allowed)
 * @param maxPayloadSize {@code retainer.max_payload_size} (64KB): larger retained payloads are delivered but not kept
 * @param expiryInterval {@code retainer.expiry_interval} (0 = never)
 */
public record RetainerSettings(long maxMessageNum, int maxPayloadSize, Duration expiryInterval) {

    /** {@code retainer.*}: EMQ's retainer plugin keys, read here by the core's retained store. */
    static final ConfigKeys KEYS = ConfigKeys.of().withPrefixes("retainer.");

    /** A retained payload can be no larger than the PUBLISH that carried it. */
    private static final int MQTT_MAX_PACKET = 256 * 1024 * 1024;

    /** Reads the {@code retainer.*} keys with the defaults of EMQ's emq_retainer plugin. */
    public static RetainerSettings from(ConfFile f) {
        return new RetainerSettings(
                f.longInteger("retainer.max_message_num", 1_000_000, 0, Long.MAX_VALUE),
                f.bytes("retainer.max_payload_size", "64KB", 0, MQTT_MAX_PACKET),
                f.duration("retainer.expiry_interval", "0"));
    }
}
