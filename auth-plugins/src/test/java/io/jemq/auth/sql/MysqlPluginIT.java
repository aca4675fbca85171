package io.jemq.auth.sql;

/** emq_auth_mysql against a real MariaDB: the shared body in {@link SqlPluginContract}. */
class MysqlPluginIT extends SqlPluginContract {
    MysqlPluginIT() {
        super(new MysqlBackend());
    }
}
