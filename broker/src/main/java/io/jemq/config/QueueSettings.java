package io.jemq.config;

/**
 * The per-session queue of messages waiting for delivery (offline, or beyond the inflight window).
 *
 * @param maxLength {@code mqtt.mqueue.max_length} (1000; 0 = no limit): when full the oldest message is dropped
 * @param storeQos0 {@code mqtt.mqueue.store_qos0} (true): whether QoS 0 messages are queued at all
 */
public record QueueSettings(int maxLength, boolean storeQos0) {

    /** Reads the {@code mqtt.mqueue.*} keys with EMQ's defaults. */
    public static QueueSettings from(ConfFile f) {
        return new QueueSettings(
                f.integer("mqtt.mqueue.max_length", 1000, 0, Integer.MAX_VALUE),
                f.bool("mqtt.mqueue.store_qos0", true));
    }
}
