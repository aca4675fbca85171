package io.jemq.bench.scenario;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The one machine-readable line a run prints on stdout: {@code key=value} pairs separated by spaces. */
public final class Result {
    private final Map<String, String> values = new LinkedHashMap<>();

    Result(String scenario) {
        put("scenario", scenario);
    }

    Result put(String key, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(value);
        values.put(key, text.replace(' ', '_'));
        return this;
    }

    public String line() {
        StringJoiner line = new StringJoiner(" ");
        values.forEach((k, v) -> line.add(k + "=" + v));
        return line.toString();
    }

    /** Parses a line printed by {@link #line()}, for tests and scripts written in Java. */
    public static Map<String, String> parse(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : line.trim().split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }
}
