package io.jemq.auth.mysql;

import io.jemq.auth.sql.SqlDialect;
import io.jemq.auth.sql.SqlPluginFactory;

/**
 * {@code emq_auth_mysql}: authentication ({@code auth.mysql.auth_query}, {@code password_hash},
 * {@code super_query}) and ACL ({@code auth.mysql.acl_query}) from a MySQL or MariaDB database, EMQ 2.x's
 * {@code mqtt_user} and {@code mqtt_acl} tables unchanged. Found by {@link java.util.ServiceLoader}; the broker calls
 * {@link #create} on the loading thread. The work is shared with {@code emq_auth_pgsql} in {@code io.jemq.auth.sql}.
 */
public final class MysqlPluginFactory extends SqlPluginFactory {
    private static final SqlDialect DIALECT = new MysqlDialect();

    @Override
    public String name() {
        return "emq_auth_mysql";
    }

    @Override
    public String description() {
        return "Authentication/ACL with MySQL";
    }

    @Override
    protected SqlDialect dialect() {
        return DIALECT;
    }
}
