package io.jemq.auth.redis;

import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;

import java.util.List;

/**
 * EMQ's allow-only ACL of the key-value backends (Redis hashes, MongoDB documents): a client's rules are a list of
 * topic filters it may use; a client with rules is denied what none of them covers, a client without rules is not this
 * source's to decide. Used by {@link RedisAuthorizer} and by {@code io.jemq.auth.mongo.MongoAuthorizer}, on whatever
 * thread their backend answered on; stateless.
 *
 * <p>Placeholders in a filter: {@code %u} and {@code %c} are replaced wherever they appear (EMQ's global replace), but
 * only by a value that can stand as a literal level: a missing or empty value, or one with {@code /}, {@code +} or
 * {@code #}, makes that filter cover nothing (a username {@code #} must not turn {@code user/%u} into {@code user/#}).
 */
public final class AclWhitelist {
    private AclWhitelist() {
    }

    /**
     * @param hasRules whether the client has any rule at all (for any access): without, the answer is IGNORE
     * @param filters  the filters granted for the access being checked
     * @param topic    the topic published to, or the filter subscribed to (its wildcards compared as words)
     */
    public static AclResult decide(boolean hasRules, List<String> filters, ClientInfo client, String topic) {
        if (!hasRules) {
            return AclResult.IGNORE;
        }
        for (String filter : filters) {
            String filled = fill(filter, client);
            if (filled != null && matches(filled, topic)) {
                return AclResult.ALLOW;
            }
        }
        return AclResult.DENY;
    }

    /** The filter with {@code %u} and {@code %c} replaced, or null when a needed value cannot be a level. */
    static String fill(String filter, ClientInfo client) {
        if (filter.indexOf('%') < 0) {
            return filter;
        }
        String out = filter;
        if (out.contains("%u")) {
            if (!isSafeLevel(client.username())) {
                return null;
            }
            out = out.replace("%u", client.username());
        }
        if (out.contains("%c")) {
            if (!isSafeLevel(client.clientId())) {
                return null;
            }
            out = out.replace("%c", client.clientId());
        }
        return out;
    }

    private static boolean isSafeLevel(String value) {
        return value != null && !value.isEmpty() && value.indexOf('/') < 0 && value.indexOf('+') < 0
                && value.indexOf('#') < 0;
    }

    /**
     * MQTT matching, level by level: {@code +} is one level, {@code #} the rest (also nothing: {@code a/#} covers
     * {@code a}); a topic starting with {@code $} is not covered by a filter starting with a wildcard. A subscribed
     * filter is compared as words, so rule {@code a/#} covers a subscription to {@code a/+} and rule {@code a/b} does
     * not.
     */
    static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if (topic.charAt(0) == '$' && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }
}
