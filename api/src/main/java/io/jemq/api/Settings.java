package io.jemq.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A plugin's settings as its {@code etc/plugins/<name>.conf} file (EMQ's format) sets them. Every typed getter
 * returns the default when the key is not set and throws a {@link ConfigException} naming file, line and key when it
 * is set to something it cannot accept. Immutable and thread-safe.
 */
public interface Settings {
    /** Every key that is set, in the order of first appearance. */
    Set<String> keys();

    boolean contains(String key);

    /** Where a key was set ({@code etc/plugins/emq_auth_mysql.conf:12}); empty when it is not set. */
    Optional<String> origin(String key);

    /** The value as written, or empty when the key is not set. */
    Optional<String> find(String key);

    /** The distinct next key segments under {@code prefix}: {@code names("auth.http.headers")} → header names. */
    List<String> names(String prefix);

    String string(String key, String defaultValue);

    int integer(String key, int defaultValue);

    /** An integer from {@code min} to {@code max}, both included. */
    int integer(String key, int defaultValue, int min, int max);

    /** A long from {@code min} to {@code max}, both included. */
    long longInteger(String key, long defaultValue, long min, long max);

    /** {@code on|off|true|false}, any case. */
    boolean bool(String key, boolean defaultValue);

    /** A duration ({@code 30s}, {@code 1m}, {@code 500ms}; a bare number is seconds). */
    Duration duration(String key, String defaultValue);

    /** A duration from {@code min} to {@code max} (a null max means no upper bound). */
    Duration duration(String key, String defaultValue, Duration min, Duration max);

    /** A byte size that fits in an int ({@code 64KB}, {@code 8MB}; a bare number is bytes). */
    int bytes(String key, String defaultValue);

    /** One of an enum's constants, written in any case: {@code round_robin} is {@code ROUND_ROBIN}. */
    <E extends Enum<E>> E oneOf(String key, Class<E> type, E defaultValue);

    /**
     * The general typed getter: a null from {@code parser} is a {@link ConfigException} "expected {@code expected}".
     */
    <T> T parsed(String key, T defaultValue, String expected, Function<String, T> parser);

    /** The error for a set key whose value is not acceptable: {@code file:line: key: expected …, got "…"}. */
    ConfigException invalid(String key, String expected);
}
