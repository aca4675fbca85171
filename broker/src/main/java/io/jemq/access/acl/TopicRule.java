package io.jemq.access.acl;

import io.jemq.api.ClientInfo;
import io.jemq.routing.Topics;

/**
 * One topic of an acl.conf rule: a filter matched with MQTT wildcards (whole levels {@code %u} and {@code %c} filled
 * with the client's username and client id), or {@code {eq, "filter"}}, which must equal the checked topic word for
 * word (so {@code {eq, "#"}} is about a subscription to {@code #} itself).
 */
public final class TopicRule {
    private final String filter;
    private final boolean eq;
    private final String[] levels;      // null when the filter has no placeholder

    private TopicRule(String filter, boolean eq) {
        this.filter = filter;
        this.eq = eq;
        String[] split = filter.split("/", -1);
        boolean placeholders = false;
        for (String level : split) {
            placeholders |= level.equals("%u") || level.equals("%c");
        }
        this.levels = !eq && placeholders ? split : null;
    }

    public static TopicRule filter(String filter) {
        return new TopicRule(filter, false);
    }

    public static TopicRule eq(String filter) {
        return new TopicRule(filter, true);
    }

    /**
     * @param topic the published topic name, or the subscribed filter (its wildcards compared as plain words)
     */
    public boolean matches(ClientInfo client, String topic) {
        if (eq) {
            return filter.equals(topic);
        }
        if (levels == null) {
            return Topics.matches(filter, topic);
        }
        String filled = fill(client);
        return filled != null && Topics.matches(filled, topic);
    }

    /**
     * The filter with its placeholders filled, or null when a value is missing, empty, or contains {@code + # /}:
     * then the rule must not match, or a username {@code #} would turn {@code home/%u/#} into {@code home/#/#}
     * (Mosquitto's CVE-2017-7650).
     */
    private String fill(ClientInfo client) {
        StringBuilder sb = new StringBuilder(filter.length() + 16);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("%u") || level.equals("%c")) {
                level = level.equals("%u") ? client.username() : client.clientId();
                if (!isSafeLevel(level)) {
                    return null;
                }
            }
            if (i > 0) {
                sb.append('/');
            }
            sb.append(level);
        }
        return sb.toString();
    }

    /** A value that can stand as one literal topic level. */
    public static boolean isSafeLevel(String value) {
        return value != null && !value.isEmpty() && value.indexOf('/') < 0 && value.indexOf('+') < 0
                && value.indexOf('#') < 0;
    }

    @Override
    public String toString() {
        return eq ? "{eq, \"" + filter + "\"}" : "\"" + filter + "\"";
    }
}
