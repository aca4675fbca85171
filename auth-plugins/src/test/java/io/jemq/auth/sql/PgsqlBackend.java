package io.jemq.auth.sql;

import io.jemq.auth.servers.PostgresServer;
import io.jemq.auth.servers.SqlServer;

import java.util.Map;

/** emq_auth_pgsql against a throw-away PostgreSQL. */
final class PgsqlBackend extends SqlBackendFixture {
    @Override
    String plugin() {
        return "emq_auth_pgsql";
    }

    @Override
    String prefix() {
        return "auth.pgsql";
    }

    @Override
    SqlServer startServer() {
        return PostgresServer.start();
    }

    @Override
    String[] schema() {
        return new String[]{"""
                CREATE TABLE mqtt_user (
                  id SERIAL primary key,
                  username character varying(100),
                  password character varying(100),
                  salt character varying(40)
                )""", """
                CREATE TABLE mqtt_acl (
                  id SERIAL primary key,
                  allow integer,
                  ipaddr character varying(60),
                  username character varying(100),
                  clientid character varying(100),
                  access  integer,
                  topic character varying(100)
                )""",
                // EMQ's pgsql README has is_superuser boolean; sha512 and pbkdf2-sha512 hex are 128 characters
                "ALTER TABLE mqtt_user ADD COLUMN is_superuser boolean",
                "ALTER TABLE mqtt_user ALTER COLUMN password TYPE character varying(255)"};
    }

    @Override
    String superuserTrue() {
        return "true";
    }

    @Override
    String superuserFalse() {
        return "false";
    }

    @Override
    void tls(Map<String, String> conf, String caFile) {
        conf.put("ssl", "true");
        conf.put("ssl_opts.cacertfile", caFile);
    }

    @Override
    String tlsOnlyAuthQuery() {
        return "select password from mqtt_user where username = '%u' and (select ssl from pg_stat_ssl where "
                + "pid = pg_backend_pid()) limit 1";
    }

    @Override
    String slowAuthQuery() {
        return "select password from mqtt_user where username = '%u' and (select true from pg_sleep(10)) limit 1";
    }
}
