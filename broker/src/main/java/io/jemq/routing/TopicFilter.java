package io.jemq.routing;

import java.util.Objects;

/**
 * A parsed SUBSCRIBE/UNSUBSCRIBE filter. {@code $share/<group>/<filter>} gives a shared subscription of that group,
 * EMQ's {@code $queue/<filter>} is the group {@code "$queue"}, and EMQ's {@code $local/<filter>} is the plain filter
 * (there is no other node to keep it from). Anything else is a plain filter.
 *
 * @param filter     the filter to match topics with, always valid per {@link Topics#isValidFilter} without a level
 *                   limit (the caller checks its configured limit)
 * @param shareGroup the share group, or null when not shared
 */
public record TopicFilter(String filter, String shareGroup) {

    private static final String SHARE = "$share/";
    private static final String QUEUE = "$queue/";
    private static final String LOCAL = "$local/";
    private static final String QUEUE_GROUP = "$queue";

    public TopicFilter {
        Objects.requireNonNull(filter, "filter");
    }

    /**
     * Parses a filter as sent by a client.
     *
     * @throws IllegalArgumentException for a malformed filter, a {@code $share/} without group or filter, or a group
     *                                  containing {@code +} or {@code #} (MQTT 5 4.8.2)
     */
    public static TopicFilter parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        String rest = raw.startsWith(LOCAL) ? raw.substring(LOCAL.length()) : raw;
        String group = null;
        if (rest.startsWith(SHARE)) {
            int slash = rest.indexOf('/', SHARE.length());
            if (slash < 0) {
                throw new IllegalArgumentException("shared subscription without a filter: " + raw);
            }
            group = rest.substring(SHARE.length(), slash);
            if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
                throw new IllegalArgumentException("bad share group in " + raw);
            }
            rest = rest.substring(slash + 1);
        } else if (rest.startsWith(QUEUE)) {
            group = QUEUE_GROUP;
            rest = rest.substring(QUEUE.length());
        }
        if (!Topics.isValidFilter(rest, 0)) {
            throw new IllegalArgumentException("bad topic filter: " + raw);
        }
        return new TopicFilter(rest, group);
    }

    public boolean shared() {
        return shareGroup != null;
    }
}
