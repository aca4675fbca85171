package io.jemq.auth.sql;

import io.jemq.api.ClientInfo;

/**
 * MQTT topic filters as the ACL rows use them: matching with wildcards and the {@code $} rule, and the whole-level
 * placeholders {@code %u} / {@code %c}. The same rules as the broker's {@code etc/acl.conf}, written here because a
 * plugin sees only the api. Stateless; called on pool threads.
 */
final class TopicFilters {
    private TopicFilters() {
    }

    /**
     * Whether the filter matches the checked topic: {@code +} one level, {@code #} the rest (nothing included:
     * {@code a/#} matches {@code a}); a topic starting with {@code $} is not matched by a filter starting with a
     * wildcard (MQTT 4.7.2), so a rule {@code #} does not grant {@code $SYS/...}. For SUBSCRIBE the checked topic is
     * the client's filter, whose {@code +} and {@code #} are compared as plain words: rule {@code a/#} covers a
     * subscription to {@code a/+}, rule {@code a/b} does not.
     */
    static boolean matches(String filter, String topic) {
        if (filter.isEmpty()) {
            return false;
        }
        if (!topic.isEmpty() && topic.charAt(0) == '$' && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /**
     * The filter with each whole level {@code %u} / {@code %c} replaced by the username / client id, or null when a
     * value needed is missing, empty, or holds {@code + # /}: then the row must not match, or a username {@code #}
     * would turn {@code home/%u/#} into {@code home/#/#} (Mosquitto's CVE-2017-7650).
     */
    static String fill(String filter, ClientInfo client) {
        if (!filter.contains("%")) {
            return filter;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            if (levels[i].equals("%u") || levels[i].equals("%c")) {
                String value = levels[i].equals("%u") ? client.username() : client.clientId();
                if (value == null || value.isEmpty() || value.indexOf('/') >= 0 || value.indexOf('+') >= 0
                        || value.indexOf('#') >= 0) {
                    return null;
                }
                levels[i] = value;
            }
        }
        return String.join("/", levels);
    }
}
