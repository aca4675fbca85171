package io.jemq.config;

import java.time.Duration;

/**
 * @param maxMessageNum  {@code retainer.max_message_num} (1000000; 0 = no limit): new retained topics are refused
 *                       beyond it (replacing an existing one is always allowed)
 * @param maxPayloadSize {@code retainer.max_payload_size} (64KB): larger retained payloads are delivered but not kept
 * @param expiryInterval {@code retainer.expiry_interval} (0 = never)
 */
public record RetainerSettings(long maxMessageNum, int maxPayloadSize, Duration expiryInterval) {
}
