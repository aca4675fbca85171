package io.jemq.config;

import java.util.regex.Pattern;

/**
 * {@code listener.<protocol>.<name>.rate_limit = burst,rate}: a token bucket over the bytes a connection sends us.
 * EMQ's values are KB ({@code 100,10} is a 100KB burst refilled at 10KB/s); a size with a unit ({@code 1MB,64KB})
 * is taken as written.
 *
 * @param burstBytes     the bucket's size: how much may arrive at once after a quiet spell
 * @param bytesPerSecond the refill rate, the sustained limit
 */
public record RateLimit(long burstBytes, long bytesPerSecond) {
    static final String EXPECTED = "burst,rate in KB (or sizes such as 1MB,64KB), both above zero, such as 100,10";

    private static final Pattern BARE_NUMBER = Pattern.compile("\\d{1,12}");

    /** The limit, or null when the text is not one. */
    static RateLimit parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2) {
            return null;
        }
        Long burst = size(parts[0].trim());
        Long rate = size(parts[1].trim());
        if (burst == null || rate == null || burst <= 0 || rate <= 0) {
            return null;
        }
        return new RateLimit(burst, rate);
    }

    private static Long size(String text) {
        if (BARE_NUMBER.matcher(text).matches()) {
            return Long.parseLong(text) * 1024;
        }
        return Units.parseSize(text);
    }
}
