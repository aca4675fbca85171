package io.jemq.config;

import java.time.Duration;

/**
 * The per-session queue of messages waiting for delivery (offline, or beyond the inflight window).
 *
 * @param maxLength {@code mqtt.mqueue.max_length} (1000; 0 = no limit): when full the oldest message is dropped
 * @param storeQos0 {@code mqtt.mqueue.store_qos0} (true): whether QoS 0 messages are queued at all
 * @param highWatermark {@code mqtt.mqueue.high_watermark} (60%): when a connected client's queue fills past this
 *                      share of max_length, the clients publishing to it are paused until it drains
 * @param lowWatermark  {@code mqtt.mqueue.low_watermark} (20%): the level at which paused publishers resume
 * @param maxPause      {@code mqtt.mqueue.max_pause} (100ms; 0 = never pause): the longest a publisher is paused at a
 *                      time (see docs/reliability.md, "Slow subscribers")
 * @param stallTimeout  {@code mqtt.mqueue.stall_timeout} (500ms): how long a connected subscriber's queue may go
 *                      without sending anything before the subscriber counts as stalled, which pauses nobody
 * @param maxBytes      {@code mqtt.mqueue.max_bytes} (16MB; 0 = no limit): the payload bytes one session's queue may
 *                      hold; beyond it the oldest message is dropped, as beyond max_length
 */
public record QueueSettings(int maxLength, boolean storeQos0, double highWatermark, double lowWatermark,
                            Duration maxPause, Duration stallTimeout, long maxBytes) {

    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.mqueue.high_watermark", "mqtt.mqueue.low_watermark",
            "mqtt.mqueue.max_bytes", "mqtt.mqueue.max_length", "mqtt.mqueue.max_pause", "mqtt.mqueue.stall_timeout");

    /** The queue length at which publishers to a connected session are paused (unlimited queues use 1000). */
    public int highMark() {
        return Math.max(1, (int) ((maxLength > 0 ? maxLength : 1000) * highWatermark));
    }

    /** The queue length at which they resume. */
    public int lowMark() {
        return Math.min(highMark() - 1, (int) ((maxLength > 0 ? maxLength : 1000) * lowWatermark));
    }

    /** Reads the {@code mqtt.mqueue.*} keys with EMQ's defaults. */
    public static QueueSettings from(ConfFile f) {
        return new QueueSettings(
                f.integer("mqtt.mqueue.max_length", 1000, 0, Integer.MAX_VALUE),
                f.bool("mqtt.mqueue.store_qos0", true),
                f.percentage("mqtt.mqueue.high_watermark", "60%"),
                f.percentage("mqtt.mqueue.low_watermark", "20%"),
                // a pause holds the publisher's PINGREQ and acks unread: keep it well below any keepalive
                f.duration("mqtt.mqueue.max_pause", "100ms", Duration.ZERO, Duration.ofSeconds(5)),
                // a hiccup of the subscriber (a GC pause, a busy core) shorter than this loses nothing
                f.duration("mqtt.mqueue.stall_timeout", "500ms", Duration.ofMillis(1), Duration.ofMinutes(1)),
                f.bytes("mqtt.mqueue.max_bytes", "16MB"));
    }
}
