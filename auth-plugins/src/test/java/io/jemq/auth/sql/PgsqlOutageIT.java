package io.jemq.auth.sql;

/** emq_auth_pgsql while its PostgreSQL goes away and comes back: the shared body in {@link SqlOutageContract}. */
class PgsqlOutageIT extends SqlOutageContract {
    PgsqlOutageIT() {
        super(new PgsqlBackend());
    }
}
