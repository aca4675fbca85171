package io.jemq.routing;

/**
 * MQTT topic name and filter rules (MQTT 3.1.1 and 5.0, section 4.7). Allocation-free: they walk the strings by
 * index, since the broker calls them for every PUBLISH and SUBSCRIBE.
 */
public final class Topics {

    private static final int MAX_UTF8_BYTES = 65_535;

    private Topics() {
    }

    /**
     * A topic name a client may publish to: non-empty, no wildcard, no U+0000, at most {@code maxLevels} levels
     * (0 = no limit) and at most 65535 bytes of UTF-8.
     */
    public static boolean isValidName(String topic, int maxLevels) {
        int n = topic.length();
        if (n == 0 || n > MAX_UTF8_BYTES) {
            return false;
        }
        int levels = 1;
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == 0) {
                return false;
            }
            if (c == '/') {
                levels++;
            }
            bytes += utf8Length(c);
        }
        return bytes <= MAX_UTF8_BYTES && (maxLevels <= 0 || levels <= maxLevels);
    }

    /**
     * A topic filter a client may subscribe to: non-empty, {@code +} only as a whole level, {@code #} only as the
     * whole last level, no U+0000, at most {@code maxLevels} levels (0 = no limit), at most 65535 bytes of UTF-8.
     * Takes the filter without any {@code $share/group/} prefix.
     */
    public static boolean isValidFilter(String filter, int maxLevels) {
        int n = filter.length();
        if (n == 0 || n > MAX_UTF8_BYTES) {
            return false;
        }
        int levels = 1;
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = filter.charAt(i);
            boolean levelStart = i == 0 || filter.charAt(i - 1) == '/';
            boolean levelEnd = i == n - 1 || filter.charAt(i + 1) == '/';
            if (c == 0 || c == '+' && !(levelStart && levelEnd) || c == '#' && !(levelStart && i == n - 1)) {
                return false;
            }
            if (c == '/') {
                levels++;
            }
            bytes += utf8Length(c);
        }
        return bytes <= MAX_UTF8_BYTES && (maxLevels <= 0 || levels <= maxLevels);
    }

    /**
     * Whether the (valid) filter matches the topic name: {@code +} matches one level, possibly empty; {@code #} the
     * rest, including nothing ({@code a/#} matches {@code a}); a topic starting with {@code $} is not matched by a
     * filter starting with a wildcard (MQTT 4.7.2).
     */
    public static boolean matches(String filter, String topic) {
        int fn = filter.length();
        int tn = topic.length();
        if (fn == 0) {
            return false;
        }
        if (isSys(topic) && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        int fi = 0;
        int ti = 0;
        while (true) {
            int fe = levelEnd(filter, fi);
            if (fe - fi == 1 && filter.charAt(fi) == '#') {
                return true;
            }
            if (ti > tn) {
                return false; // the topic has run out of levels, the filter has not
            }
            int te = levelEnd(topic, ti);
            boolean plus = fe - fi == 1 && filter.charAt(fi) == '+';
            if (!plus && (fe - fi != te - ti || !filter.regionMatches(fi, topic, ti, fe - fi))) {
                return false;
            }
            boolean filterDone = fe == fn;
            boolean topicDone = te == tn;
            if (filterDone) {
                return topicDone;
            }
            fi = fe + 1;
            ti = topicDone ? tn + 1 : te + 1;
        }
    }

    /** Whether the topic is a {@code $} topic (such as {@code $SYS/...}), kept from leading wildcards. */
    public static boolean isSys(String topic) {
        return !topic.isEmpty() && topic.charAt(0) == '$';
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    /** UTF-8 bytes for one UTF-16 unit; each half of a surrogate pair counts 2, making 4 for the code point. */
    private static int utf8Length(char c) {
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800 || Character.isSurrogate(c)) {
            return 2;
        }
        return 3;
    }
}
