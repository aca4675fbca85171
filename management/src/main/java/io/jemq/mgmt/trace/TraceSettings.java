package io.jemq.mgmt.trace;

import io.jemq.config.ConfFile;
import io.jemq.config.ConfigKeys;

/**
 * What tracing reads from {@code etc/emq.conf}; a bad value names file, line and key.
 *
 * @param payloadMax how many bytes of a payload a trace line shows ({@code trace.payload_max}); the rest is counted
 * @param queueSize  lines waiting for the writer thread at most ({@code trace.queue_size}); beyond, lines are dropped
 *                   and counted, the event loops never wait
 * @param fileSize   a trace file is rolled over at this size ({@code trace.file_size})
 * @param fileCount  rolled files kept beside it: {@code <file>.1} … {@code <file>.<n>} ({@code trace.file_count})
 */
public record TraceSettings(int payloadMax, int queueSize, int fileSize, int fileCount) {

    static final ConfigKeys KEYS = ConfigKeys.of("trace.payload_max", "trace.queue_size", "trace.file_size",
            "trace.file_count");

    public static TraceSettings from(ConfFile f) {
        return new TraceSettings(f.bytes("trace.payload_max", "256B", 0, 1 << 20),
                f.integer("trace.queue_size", 10_000, 16, 10_000_000),
                f.bytes("trace.file_size", "10MB", 1024, Integer.MAX_VALUE),
                f.integer("trace.file_count", 5, 0, 100));
    }

    /** Declares these keys (ServiceLoader: {@code META-INF/services/io.jemq.config.ConfigKeys$Source}). */
    public static final class Keys implements ConfigKeys.Source {
        @Override
        public ConfigKeys configKeys() {
            return KEYS;
        }
    }
}
