package io.jemq.auth.pgsql;

import io.jemq.auth.sql.SqlDialect;
import io.jemq.auth.sql.SqlPluginFactory;

/**
 * {@code emq_auth_pgsql}: authentication ({@code auth.pgsql.auth_query}, {@code password_hash},
 * {@code super_query}) and ACL ({@code auth.pgsql.acl_query}) from a PostgreSQL database, EMQ 2.x's
 * {@code mqtt_user} and {@code mqtt_acl} tables unchanged. Found by {@link java.util.ServiceLoader}; the broker calls
 * {@link #create} on the loading thread. The work is shared with {@code emq_auth_mysql} in {@code io.jemq.auth.sql}.
 */
public final class PgsqlPluginFactory extends SqlPluginFactory {
    private static final SqlDialect DIALECT = new PgsqlDialect();

    @Override
    public String name() {
        return "emq_auth_pgsql";
    }

    @Override
    public String description() {
        return "Authentication/ACL with PostgreSQL";
    }

    @Override
    protected SqlDialect dialect() {
        return DIALECT;
    }
}
