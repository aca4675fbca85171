package io.jemq.auth.redis;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.api.CommandTemplate;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SourceUnavailableException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.redis.acl_cmd}, EMQ's {@code HGETALL mqtt_acl:%u}: a hash of topic filter → access ({@code 1}
 * subscribe, {@code 2} publish, {@code 3} both), the seed's {@code HSET mqtt_acl:<username> topic1 1}. Allow-only, as
 * in EMQ ({@link AclWhitelist}): an empty hash → IGNORE; a filter with the access that covers the topic → ALLOW;
 * rules but none that covers it → DENY.
 *
 * <p>Called on the client's event loop (when the connection's ACL cache misses); the reply is read on a Lettuce I/O
 * thread. Redis unreachable or too slow, or a reply that is not such a hash → a failed stage naming what failed, so
 * the plugin's {@code auth.redis.on_error} answers it (deny by default) and nothing is cached.
 */
final class RedisAuthorizer implements Authorizer {
    private final PluginContext context;
    private final RedisConnector redis;
    private final CommandTemplate aclCmd;
    private final PluginMetrics.Counter allow;
    private final PluginMetrics.Counter deny;
    private final PluginMetrics.Counter ignore;

    RedisAuthorizer(PluginContext context, RedisConnector redis, CommandTemplate aclCmd) {
        this.context = context;
        this.redis = redis;
        this.aclCmd = aclCmd;
        this.allow = context.metrics().counter("acl/allow");
        this.deny = context.metrics().counter("acl/deny");
        this.ignore = context.metrics().counter("acl/ignore");
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
        PlaceholderValues values = PlaceholderValues.of(client).withCheck(access, topic);
        if (!aclCmd.unfilled(values).isEmpty()) {
            ignore.increment();
            return AclResult.IGNORE.stage();
        }
        return redis.send(aclCmd.arguments(values), "auth.redis.acl_cmd").thenApply(reply -> {
            AclResult r = decide(reply, client, access, topic);
            (r == AclResult.ALLOW ? allow : r == AclResult.DENY ? deny : ignore).increment();
            return r;
        });
    }

    /** {@code [filter1, access1, filter2, access2, ...]}, as HGETALL replies. */
    private AclResult decide(List<Object> reply, ClientInfo client, Access access, String topic) {
        if (reply.size() % 2 != 0) {
            throw badReply(reply.toString());
        }
        int bit = access == Access.SUBSCRIBE ? 1 : 2;
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < reply.size(); i += 2) {
            if (!(reply.get(i) instanceof String filter) || !(reply.get(i + 1) instanceof String value)) {
                throw badReply(reply.toString());
            }
            int granted = accessOf(value.strip());
            if (granted < 0) {
                throw badReply("the field " + filter + " = " + value);
            }
            if ((granted & bit) != 0) {
                filters.add(filter);
            }
        }
        return AclWhitelist.decide(!reply.isEmpty(), filters, client, topic);
    }

    private static int accessOf(String value) {
        return switch (value) {
            case "1" -> 1;
            case "2" -> 2;
            case "3" -> 3;
            default -> -1;
        };
    }

    private SourceUnavailableException badReply(String what) {
        return new SourceUnavailableException(context.name(), "auth.redis.acl_cmd (" + aclCmd + ") replied "
                + what + ", expected a hash of topic filter to access 1 (subscribe), 2 (publish) or 3 (both), "
                + "as HGETALL mqtt_acl:%u gives");
    }
}
