package io.jemq.auth.redis;

import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.SourceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code emq_auth_redis}: authentication, superusers and ACL from Redis hashes, as EMQ 2.x keeps them
 * ({@code mqtt_user:<username>}, {@code mqtt_acl:<username>}), configured by {@code etc/plugins/emq_auth_redis.conf}
 * ({@link RedisConfig}). Found by {@link java.util.ServiceLoader}; the broker calls {@link #create} on the loading
 * thread. Each of {@code auth_cmd} and {@code acl_cmd} that is set adds its source. The load does not wait for Redis:
 * a server that is down is logged once here and answered by the failure policy until it is back.
 */
public final class RedisPluginFactory implements PluginFactory {
    private static final Logger log = LoggerFactory.getLogger(RedisPluginFactory.class);

    @Override
    public String name() {
        return "emq_auth_redis";
    }

    @Override
    public String description() {
        return "Authentication/ACL with Redis";
    }

    @Override
    public Plugin create(PluginContext context) {
        RedisConfig config = RedisConfig.from(context.settings());
        RedisConnector redis = new RedisConnector(context.name(), config);
        List<Authenticator> authenticators = config.authCmd() == null ? List.of()
                : List.of(new RedisAuthenticator(context, redis, config));
        List<Authorizer> authorizers = config.aclCmd() == null ? List.of()
                : List.of(new RedisAuthorizer(context, redis, config.aclCmd()));
        if (authenticators.isEmpty() && authorizers.isEmpty()) {
            log.warn("{}: neither auth.redis.auth_cmd nor auth.redis.acl_cmd is set: the plugin does nothing",
                    context.name());
        }
        redis.warmUp().whenComplete((c, e) -> {
            if (e != null) {
                log.warn("{}: {}; until Redis answers, its clients get the auth.redis.on_error answer",
                        context.name(), SourceUnavailableException.describe(e));
            } else {
                log.info("{}: connected to Redis at {}", context.name(), redis.describe());
            }
        });
        return new Plugin() {
            @Override
            public List<Authenticator> authenticators() {
                return authenticators;
            }

            @Override
            public List<Authorizer> authorizers() {
                return authorizers;
            }

            @Override
            public void close() {
                redis.close();
            }
        };
    }
}
