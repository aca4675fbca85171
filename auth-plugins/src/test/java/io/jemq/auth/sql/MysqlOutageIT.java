package io.jemq.auth.sql;

/** emq_auth_mysql while its MariaDB goes away and comes back: the shared body in {@link SqlOutageContract}. */
class MysqlOutageIT extends SqlOutageContract {
    MysqlOutageIT() {
        super(new MysqlBackend());
    }
}
