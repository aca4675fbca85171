package io.jemq.config;

/**
 * How much memory, in all, what clients make the broker hold may take. Each budget is a share of the JVM's maximum
 * (a percentage) or a size; 0 turns that budget off. Checked before anything is allocated; at the limit the client
 * gets the protocol's refusal instead of the broker running out of memory (docs/reliability.md).
 *
 * @param subscriptions {@code mqtt.budget.subscriptions} (10% of the heap): beyond it SUBSCRIBE gets 0x97 / 0x80
 * @param retained      {@code mqtt.budget.retained} (10% of the heap): beyond it retained PUBLISHes are refused
 * @param queues        {@code mqtt.budget.queues} (30% of the heap): messages waiting in session queues; beyond it
 *                      a message for a queue is dropped (counted)
 * @param reads         {@code mqtt.budget.reads} (25% of direct memory): packets being received; beyond it a
 *                      connection waiting for a large packet's body stops reading until memory is free
 */
public record BudgetSettings(Share subscriptions, Share retained, Share queues, Share reads) {

    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.budget.subscriptions", "mqtt.budget.retained",
            "mqtt.budget.queues", "mqtt.budget.reads");

    /** A share of some total: {@code fraction} when it was a percentage, else {@code bytes}. */
    public record Share(double fraction, long bytes) {
        /** @return the bytes this share allows out of {@code total}; 0 means no limit */
        public long of(long total) {
            return fraction > 0 ? (long) (total * fraction) : bytes;
        }

        static Share parse(String text) {
            Double percentage = Units.parsePercentage(text);
            if (percentage != null) {
                return new Share(percentage, 0);
            }
            Long size = Units.parseSize(text);
            return size == null ? null : new Share(0, size);
        }
    }

    private static final String EXPECTED = "a percentage such as 10% or a size such as 64MB";

    public static BudgetSettings from(ConfFile f) {
        return new BudgetSettings(
                f.parsed("mqtt.budget.subscriptions", new Share(0.10, 0), EXPECTED, Share::parse),
                f.parsed("mqtt.budget.retained", new Share(0.10, 0), EXPECTED, Share::parse),
                f.parsed("mqtt.budget.queues", new Share(0.30, 0), EXPECTED, Share::parse),
                f.parsed("mqtt.budget.reads", new Share(0.25, 0), EXPECTED, Share::parse));
    }
}
