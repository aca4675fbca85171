package io.jemq.auth.mongo;

import com.mongodb.client.model.Projections;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SourceUnavailableException;
import io.jemq.auth.mongo.MongoConfig.AuthQuery;
import io.jemq.auth.mongo.MongoConfig.SuperQuery;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth.mongo.auth_query.*}: finds the client's document ({@code selector = username=%u}) in the collection and
 * checks the password in {@code password_field} (and salt) with {@code password_hash}; then
 * {@code super_query.*} says whether it is a superuser (its field is the boolean {@code true}). When both queries ask
 * the same collection with the same selector, one query reads both.
 *
 * <p>Called on the client's event loop; the queries and the check run on the plugin's pool. Answers: no username or
 * no document → IGNORE; a document without the password field, or a wrong or missing password → DENY; MongoDB
 * unreachable or too slow, or a password field that is not a string → a failed stage (the broker's
 * {@code auth.mongo.on_error} answers).
 */
final class MongoAuthenticator implements Authenticator {
    private final PluginContext context;
    private final MongoConnection mongo;
    private final AuthQuery query;
    private final SuperQuery superQuery;
    private final boolean superInSameDocument;
    private final Bson projection;
    private final PluginMetrics.Counter success;
    private final PluginMetrics.Counter failure;
    private final PluginMetrics.Counter ignore;

    MongoAuthenticator(PluginContext context, MongoConnection mongo, MongoConfig config) {
        this.context = context;
        this.mongo = mongo;
        this.query = config.authQuery();
        this.superQuery = config.superQuery();
        this.superInSameDocument = superQuery != null && superQuery.collection().equals(query.collection())
                && superQuery.selector().source().equals(query.selector().source());
        List<String> fields = new ArrayList<>(query.passwordFields());
        if (superInSameDocument) {
            fields.add(superQuery.field());
        }
        this.projection = Projections.include(fields);
        this.success = context.metrics().counter("auth/success");
        this.failure = context.metrics().counter("auth/failure");
        this.ignore = context.metrics().counter("auth/ignore");
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        PlaceholderValues values = PlaceholderValues.of(client).withPassword(password);
        if (query.selector().unfilled(values)) {
            ignore.increment();                           // no username: not ours to decide
            return AuthResult.IGNORE_STAGE;
        }
        return mongo.call(() -> authenticate(values, password));
    }

    /** On a pool thread. */
    private AuthResult authenticate(PlaceholderValues values, byte[] password) {
        Document user = mongo.database().getCollection(query.collection()).find(query.selector().filter(values))
                .projection(projection).first();
        if (user == null) {
            ignore.increment();
            return AuthResult.IGNORE;
        }
        String stored = string(user, query.passwordFields().get(0));
        String salt = query.passwordFields().size() > 1 ? string(user, query.passwordFields().get(1)) : null;
        if (stored == null) {
            failure.increment();
            return AuthResult.deny("no " + query.passwordFields().get(0) + " field");
        }
        if (password == null || !query.hash().matches(password, stored, salt)) {
            failure.increment();
            return AuthResult.deny(password == null ? "no password" : "bad password");
        }
        success.increment();
        return AuthResult.allow(isSuperuser(user, values));
    }

    private boolean isSuperuser(Document user, PlaceholderValues values) {
        if (superQuery == null) {
            return false;
        }
        if (superInSameDocument) {
            return Boolean.TRUE.equals(user.get(superQuery.field()));
        }
        if (superQuery.selector().unfilled(values)) {
            return false;
        }
        Document d = mongo.database().getCollection(superQuery.collection()).find(superQuery.selector().filter(values))
                .projection(Projections.include(superQuery.field())).first();
        return d != null && Boolean.TRUE.equals(d.get(superQuery.field()));
    }

    /** A field that must be a string when present; anything else is a schema error worth one clear message. */
    private String string(Document d, String field) {
        Object v = d.get(field);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new SourceUnavailableException(context.name(), "auth.mongo.auth_query.password_field: the field "
                + field + " of the " + query.collection() + " document " + d.get("_id") + " is a "
                + v.getClass().getSimpleName() + ", expected a string");
    }
}
