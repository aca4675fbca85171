package io.jemq.auth.sql;

import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;

import java.util.List;

/**
 * A loaded SQL backend: its authenticator when {@code auth_query} is set, its authorizer when {@code acl_query} is,
 * and the connection pool both use, closed when the plugin unloads (on the unloading thread, after the broker let the
 * queued requests finish).
 */
final class SqlPlugin implements Plugin {
    private final SqlPool pool;
    private final List<Authenticator> authenticators;
    private final List<Authorizer> authorizers;

    SqlPlugin(PluginContext context, SqlSettings settings, SqlDialect dialect, SqlPool pool) {
        this.pool = pool;
        this.authenticators = settings.authQuery() == null ? List.of()
                : List.of(new SqlAuthenticator(context, settings, dialect, pool));
        this.authorizers = settings.aclQuery() == null ? List.of()
                : List.of(new SqlAuthorizer(context, settings, dialect, pool));
    }

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
        pool.close();
    }
}
