package io.jemq.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unit-suffixed values of EMQ's config format (cuttlefish): durations, byte sizes, flags and percentages. Each
 * parser returns {@code null} for text it does not accept, so {@link ConfFile} can name the line in its error.
 */
final class Units {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");
    // "ms" before "m" and "s" so that 500ms is not read as 500 minutes followed by garbage
    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,18})(ms|s|m|h|d|w)", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERCENTAGE = Pattern.compile("(\\d{1,3}(?:\\.\\d+)?)\\s*%");

    private static final long KB = 1024;
    private static final long[] SIZE_FACTORS = {KB * KB * KB * KB, KB * KB * KB, KB * KB, KB, 1};
    private static final String[] SIZE_UNITS = {"TB", "GB", "MB", "KB", "B"};

    private Units() {
    }

    /** {@code 30s}, {@code 1m}, {@code 2h}, {@code 500ms}, {@code 1d}, {@code 1w}, {@code 1h30m}; bare = seconds. */
    static Duration parseDuration(String text) {
        if (DIGITS.matcher(text).matches()) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        try {
            while (at < text.length()) {
                part.region(at, text.length());
                if (!part.lookingAt()) {
                    return null;
                }
                total = total.plus(unitDuration(part.group(2)).multipliedBy(Long.parseLong(part.group(1))));
                at = part.end();
            }
        } catch (ArithmeticException overflow) {
            return null;
        }
        return at == 0 ? null : total;
    }

    private static Duration unitDuration(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            case "w" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /** The shortest exact form in the file's own notation: {@code 30s}, {@code 2h}, {@code 1500ms}. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] factors = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < factors.length; i++) {
            if (ms % factors[i] == 0) {
                return ms / factors[i] + units[i];
            }
        }
        throw new AssertionError();
    }

    /** {@code 64KB}, {@code 8MB}, {@code 1GB}, {@code 512B} (units of 1024, any case); a bare number is bytes. */
    static Long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long factor = 1;
        if (m.group(2) != null) {
            String unit = m.group(2).toUpperCase(Locale.ROOT);
            for (int i = 0; i < SIZE_UNITS.length; i++) {
                if (SIZE_UNITS[i].equals(unit)) {
                    factor = SIZE_FACTORS[i];
                }
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    /** The largest unit that divides exactly: {@code 64KB}, {@code 256MB}, {@code 1000B}. */
    static String formatSize(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        for (int i = 0; i < SIZE_FACTORS.length; i++) {
            if (bytes % SIZE_FACTORS[i] == 0) {
                return bytes / SIZE_FACTORS[i] + SIZE_UNITS[i];
            }
        }
        throw new AssertionError();
    }

    /** cuttlefish's flag: {@code on|off|true|false}, any case. */
    static Boolean parseBool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "on", "true" -> Boolean.TRUE;
            case "off", "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** {@code 20%} as the fraction 0.2; from 0% to 100%. */
    static Double parsePercentage(String text) {
        Matcher m = PERCENTAGE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        double percent = Double.parseDouble(m.group(1));
        return percent <= 100 ? percent / 100 : null;
    }

    /** A plain decimal number such as {@code 0.75}; no NaN, no infinity, no hexadecimal. */
    static Double parseDecimal(String text) {
        if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return null;
        }
        double value = Double.parseDouble(text);
        return Double.isFinite(value) ? value : null;
    }

    /** A decimal integer that fits in a long, or null. */
    static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
