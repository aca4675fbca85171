package io.jemq.auth.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SourceUnavailableException;
import io.jemq.auth.mongo.MongoConfig.AclQuery;
import io.jemq.auth.redis.AclWhitelist;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.mongo.acl_query.*}: each selector ({@code selector}, {@code selector.1}, {@code selector.2}...) finds one
 * document of the collection, as EMQ 2.3 does, and their topic lists are combined: {@code publish} and {@code pubsub}
 * for a publish, {@code subscribe} and {@code pubsub} for a subscribe (the seed's
 * {@code {username: "test", publish: ["t/1", "t/2"], subscribe: ["user/%u", "client/%c"]}}). Allow-only, as in EMQ
 * ({@link AclWhitelist}): no document → IGNORE; a filter that covers the topic → ALLOW; documents but no such filter →
 * DENY.
 *
 * <p>Called on the client's event loop when its ACL cache misses; the queries run on the plugin's pool. MongoDB
 * unreachable or too slow, or a topic list that is not an array of strings → a failed stage naming it (the broker's
 * {@code auth.mongo.on_error} answers, deny by default, and nothing is cached).
 */
final class MongoAuthorizer implements Authorizer {
    private static final Bson TOPICS = Projections.include("publish", "subscribe", "pubsub");

    private final PluginContext context;
    private final MongoConnection mongo;
    private final AclQuery query;
    private final PluginMetrics.Counter allow;
    private final PluginMetrics.Counter deny;
    private final PluginMetrics.Counter ignore;

    MongoAuthorizer(PluginContext context, MongoConnection mongo, AclQuery query) {
        this.context = context;
        this.mongo = mongo;
        this.query = query;
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
        String user = client.username();
        // EMQ: a username such as $all names the rules for everyone, never one client's own
        boolean usable = query.selectors().stream().anyMatch(s -> !s.unfilled(values));
        if (!usable || (user != null && user.startsWith("$"))) {
            ignore.increment();
            return AclResult.IGNORE.stage();
        }
        return mongo.call(() -> {
            AclResult r = decide(values, client, access, topic);
            (r == AclResult.ALLOW ? allow : r == AclResult.DENY ? deny : ignore).increment();
            return r;
        });
    }

    /** On a pool thread. */
    private AclResult decide(PlaceholderValues values, ClientInfo client, Access access, String topic) {
        MongoCollection<Document> collection = mongo.database().getCollection(query.collection());
        String own = access == Access.PUBLISH ? "publish" : "subscribe";
        boolean found = false;
        List<String> filters = new ArrayList<>();
        for (MongoSelector selector : query.selectors()) {
            if (selector.unfilled(values)) {
                continue;
            }
            Document d = collection.find(selector.filter(values)).projection(TOPICS).first();
            if (d != null) {
                found = true;
                filters.addAll(topics(d, own));
                filters.addAll(topics(d, "pubsub"));
            }
        }
        return AclWhitelist.decide(found, filters, client, topic);
    }

    private List<String> topics(Document d, String field) {
        Object v = d.get(field);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list && list.stream().allMatch(t -> t instanceof String)) {
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            return strings;
        }
        throw new SourceUnavailableException(context.name(), "auth.mongo.acl_query: the field " + field + " of the "
                + query.collection() + " document " + d.get("_id") + " is " + v + ", expected an array of topic "
                + "filters such as [\"t/1\", \"user/%u\"]");
    }
}
