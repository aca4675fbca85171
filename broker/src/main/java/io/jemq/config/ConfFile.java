package io.jemq.config;

import io.jemq.api.ConfigException;
import io.jemq.api.Settings;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The raw settings of an EMQ-format file ({@code etc/emq.conf}, {@code etc/plugins/*.conf}), with typed getters that
 * apply defaults and reject bad values with file, line and key in the message.
 *
 * <p>The format is cuttlefish's: one {@code key = value} a line, dotted keys, unquoted values that may contain
 * {@code =}, spaces and commas ({@code auth.ldap.user_dn = uid=%u,ou=People,dc=example,dc=com}). A line whose first
 * non-blank character is {@code #} is a comment. Unlike cuttlefish, a {@code #} inside a value is kept, so passwords
 * and URLs may contain one. When a key appears twice the later line wins. {@code {{ platform_etc_dir }}}-style
 * templates resolve to the directories of the runnable layout, relative to the working directory.
 *
 * <p>Immutable; {@link #with} returns a copy.
 */
public final class ConfFile implements Settings {
    static final String SET_ORIGIN = "--set";
    static final String SETTINGS_ORIGIN = "<settings>";

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");
    private static final Map<String, String> PLATFORM_DIRS = Map.of(
            "platform_etc_dir", "etc",
            "platform_data_dir", "data",
            "platform_log_dir", "log",
            "platform_lib_dir", "lib",
            "platform_bin_dir", "bin");

    private final Map<String, Entry> entries;

    /** One setting: its value and where it came from ({@code etc/emq.conf:42}, {@code --set}, {@code <settings>}). */
    private record Entry(String value, String origin) {
    }

    private ConfFile(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Parses an EMQ-format file; a syntax error names file and line. */
    public static ConfFile load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String origin = file + ":" + (i + 1);
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(origin + ": expected a line such as \"key = value\", got \"" + line + "\"");
            }
            String key = line.substring(0, eq).strip();
            checkKey(key, origin);
            entries.put(key, new Entry(resolveTemplates(line.substring(eq + 1).strip()), origin));
        }
        return new ConfFile(entries);
    }

    /** Settings given as key/value pairs, as if they were lines of a file (tests, embedding). */
    public static ConfFile of(Map<String, String> entries) {
        Map<String, Entry> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> copy.put(checkKey(key, SETTINGS_ORIGIN), entry(key, value, SETTINGS_ORIGIN)));
        return new ConfFile(copy);
    }

    /** A copy with one setting replaced, as {@code --set key=value} does; errors about it name {@code --set}. */
    public ConfFile with(String key, String value) {
        Map<String, Entry> copy = new LinkedHashMap<>(entries);
        copy.put(checkKey(key, SET_ORIGIN), entry(key, value, SET_ORIGIN));
        return new ConfFile(copy);
    }

    private static Entry entry(String key, String value, String origin) {
        if (value == null) {
            throw new ConfigException(origin + ": " + key + ": expected a value, got none");
        }
        return new Entry(resolveTemplates(value.strip()), origin);
    }

    private static String checkKey(String key, String origin) {
        boolean valid = key != null && !key.isEmpty()
                && key.chars().noneMatch(c -> Character.isWhitespace(c) || c == '=')
                && Arrays.stream(key.split("\\.", -1)).noneMatch(String::isEmpty);
        if (!valid) {
            throw new ConfigException(origin + ": expected a dotted key such as mqtt.max_packet_size, got \""
                    + key + "\"");
        }
        return key;
    }

    private static String resolveTemplates(String value) {
        Matcher m = TEMPLATE.matcher(value);
        return m.replaceAll(t -> Matcher.quoteReplacement(PLATFORM_DIRS.getOrDefault(t.group(1), t.group())));
    }

    /** Every key that is set, in the order of first appearance. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** Where a key was set: {@code etc/emq.conf:42}, {@code --set} or {@code <settings>}; empty when it is not set. */
    public Optional<String> origin(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::origin);
    }

    /** The value as written (templates resolved), or empty when the key is not set. */
    public Optional<String> find(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::value);
    }

    /**
     * The distinct next key segments under {@code prefix}, in order of first appearance: with
     * {@code listener.tcp.external = 1883} and {@code listener.tcp.external.acceptors = 8},
     * {@code names("listener.tcp")} is {@code [external]} and {@code names("listener")} is {@code [tcp]}.
     */
    public List<String> names(String prefix) {
        String dotted = prefix + ".";
        Set<String> names = new LinkedHashSet<>();
        for (String key : entries.keySet()) {
            if (key.startsWith(dotted)) {
                String rest = key.substring(dotted.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return List.copyOf(names);
    }

    public String string(String key, String defaultValue) {
        return find(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue) {
        return integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer from {@code min} to {@code max}, both included. */
    public int integer(String key, int defaultValue, int min, int max) {
        long value = parsed(key, (long) defaultValue, "an integer", Units::parseLong);
        if (value < min || value > max) {
            throw invalid(key, range("an integer", min == Integer.MIN_VALUE ? null : Long.toString(min),
                    max == Integer.MAX_VALUE ? null : Long.toString(max)));
        }
        return (int) value;
    }

    /** A long from {@code min} to {@code max}, both included. */
    public long longInteger(String key, long defaultValue, long min, long max) {
        long value = parsed(key, defaultValue, "an integer", Units::parseLong);
        if (value < min || value > max) {
            throw invalid(key, range("an integer", min == Long.MIN_VALUE ? null : Long.toString(min),
                    max == Long.MAX_VALUE ? null : Long.toString(max)));
        }
        return value;
    }

    /** {@code on|off|true|false}, any case. */
    public boolean bool(String key, boolean defaultValue) {
        return parsed(key, defaultValue, "on, off, true or false", Units::parseBool);
    }

    /** A duration ({@code 30s}, {@code 1m}, {@code 2h}, {@code 500ms}, {@code 1d}; a bare number is seconds). */
    public Duration duration(String key, String defaultValue) {
        return duration(key, defaultValue, Duration.ZERO, null);
    }

    /** A duration from {@code min} to {@code max} (both included; a null max means no upper bound). */
    public Duration duration(String key, String defaultValue, Duration min, Duration max) {
        Duration value = parsed(key, defaultOf(defaultValue, Units::parseDuration), "a duration such as 30s",
                Units::parseDuration);
        if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
            throw invalid(key, range("a duration", min.isZero() ? null : Units.formatDuration(min),
                    max == null ? null : Units.formatDuration(max)));
        }
        return value;
    }

    /**
     * A duration the protocol carries in whole seconds (a keepalive), 0 to {@code maxSeconds}: {@code 500ms} or
     * {@code 1s500ms} is refused rather than rounded down (to 0 = off, for anything under a second).
     */
    public Duration wholeSeconds(String key, String defaultValue, long maxSeconds) {
        Duration value = duration(key, defaultValue, Duration.ZERO, Duration.ofSeconds(maxSeconds));
        if (value.toMillis() % 1000 != 0) {
            throw invalid(key, "whole seconds such as 30s (0 = off)");
        }
        return value;
    }

    /** A byte size that fits in an int ({@code 64KB}, {@code 8MB}, {@code 512B}; bare number = bytes). */
    public int bytes(String key, String defaultValue) {
        return bytes(key, defaultValue, 0, Integer.MAX_VALUE);
    }

    /** A byte size from {@code min} to {@code max} bytes, both included. */
    public int bytes(String key, String defaultValue, int min, int max) {
        long value = parsed(key, defaultOf(defaultValue, Units::parseSize), "a size such as 64KB", Units::parseSize);
        if (value < min || value > max) {
            throw invalid(key, range("a size", min == 0 ? null : Units.formatSize(min), Units.formatSize(max)));
        }
        return (int) value;
    }

    /** A decimal number from {@code min} to {@code max}, both included. */
    public double decimal(String key, double defaultValue, double min, double max) {
        double value = parsed(key, defaultValue, "a number such as 0.75", Units::parseDecimal);
        if (value < min || value > max) {
            throw invalid(key, range("a number", Double.toString(min), Double.toString(max)));
        }
        return value;
    }

    /** {@code 20%}, returned as the fraction 0.2. */
    public double percentage(String key, String defaultValue) {
        return parsed(key, defaultOf(defaultValue, Units::parsePercentage), "a percentage from 0% to 100% such as 20%",
                Units::parsePercentage);
    }

    /** One of an enum's constants, written in any case: {@code round_robin} is {@code ROUND_ROBIN}. */
    public <E extends Enum<E>> E oneOf(String key, Class<E> type, E defaultValue) {
        E[] constants = type.getEnumConstants();
        String expected = "one of " + Arrays.stream(constants)
                .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return parsed(key, defaultValue, expected, text -> Arrays.stream(constants)
                .filter(c -> c.name().equalsIgnoreCase(text)).findFirst().orElse(null));
    }

    /**
     * The general form of the typed getters: the default when the key is not set, otherwise what {@code parser}
     * makes of the value; a null from the parser is a {@link ConfigException} saying "expected {@code expected}".
     */
    public <T> T parsed(String key, T defaultValue, String expected, Function<String, T> parser) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return defaultValue;
        }
        T value = parser.apply(entry.value());
        if (value == null) {
            throw invalid(key, expected);
        }
        return value;
    }

    /**
     * The error for a set key whose value is not acceptable, in the one shape every config error has:
     * {@code etc/emq.conf:42: mqtt.max_packet_size: expected a size such as 64KB, got "lots"}.
     */
    public ConfigException invalid(String key, String expected) {
        Entry entry = entries.get(key);
        if (entry == null) {
            throw new IllegalArgumentException(key + " is not set");
        }
        return new ConfigException(entry.origin() + ": " + key + ": expected " + expected + ", got \""
                + entry.value() + "\"");
    }

    private static <T> T defaultOf(String text, Function<String, T> parser) {
        T value = parser.apply(text);
        if (value == null) {
            throw new IllegalArgumentException("bad default \"" + text + "\"");
        }
        return value;
    }

    /** "an integer from 1 to 65535", "a size up to 256MB", "a duration of at least 1ms"; null = unbounded. */
    private static String range(String what, String min, String max) {
        if (min == null) {
            return max == null ? what : what + " up to " + max;
        }
        return max == null ? what + " of at least " + min : what + " from " + min + " to " + max;
    }
}
