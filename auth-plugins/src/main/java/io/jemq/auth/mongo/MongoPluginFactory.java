package io.jemq.auth.mongo;

import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.SourceUnavailableException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code emq_auth_mongo}: authentication, superusers and ACL from MongoDB collections as EMQ 2.x keeps them
 * ({@code mqtt_user}, {@code mqtt_acl}), configured by {@code etc/plugins/emq_auth_mongo.conf} ({@link MongoConfig},
 * {@link MongoConnection}). Found by {@link java.util.ServiceLoader}; the broker calls {@link #create} on the loading
 * thread. The load does not wait for MongoDB: a server that is down is logged once here and answered by the failure
 * policy until it is back.
 */
public final class MongoPluginFactory implements PluginFactory {
    private static final Logger log = LoggerFactory.getLogger(MongoPluginFactory.class);

    @Override
    public String name() {
        return "emq_auth_mongo";
    }

    @Override
    public String description() {
        return "Authentication/ACL with MongoDB";
    }

    @Override
    public Plugin create(PluginContext context) {
        MongoConfig config = MongoConfig.from(context.settings());
        MongoConnection mongo = new MongoConnection(context);
        List<Authenticator> authenticators = List.of(new MongoAuthenticator(context, mongo, config));
        List<Authorizer> authorizers = config.aclQuery() == null ? List.of()
                : List.of(new MongoAuthorizer(context, mongo, config.aclQuery()));
        mongo.call(() -> mongo.database().runCommand(new Document("ping", 1))).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("{}: {}; until MongoDB answers, its clients get the auth.mongo.on_error answer",
                        context.name(), SourceUnavailableException.describe(e));
            } else {
                log.info("{}: connected to MongoDB at {}", context.name(), mongo.describe());
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
                mongo.close();
            }
        };
    }
}
