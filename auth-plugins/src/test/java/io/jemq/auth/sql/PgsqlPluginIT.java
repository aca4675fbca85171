package io.jemq.auth.sql;

/** emq_auth_pgsql against a real PostgreSQL: the shared body in {@link SqlPluginContract}. */
class PgsqlPluginIT extends SqlPluginContract {
    PgsqlPluginIT() {
        super(new PgsqlBackend());
    }
}
