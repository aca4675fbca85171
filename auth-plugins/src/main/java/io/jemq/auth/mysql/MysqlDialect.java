package io.jemq.auth.mysql;

import io.jemq.api.Settings;
import io.jemq.auth.sql.SqlDialect;
import io.jemq.auth.sql.SqlSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * MySQL and MariaDB through the MariaDB JDBC driver, with EMQ's row rules: a superuser's {@code is_superuser} is the
 * integer 1 (a {@code tinyint(1)} the driver reads as true counts too), and an ACL column that is NULL or {@code ''}
 * is empty. TLS to the server uses EMQX's keys {@code ssl}, {@code ssl.cacertfile} and {@code ssl.verify} (EMQ 2.x
 * had none). Stateless.
 */
final class MysqlDialect implements SqlDialect {
    @Override
    public String product() {
        return "MySQL";
    }

    @Override
    public int defaultPort() {
        return 3306;
    }

    @Override
    public String driverClassName() {
        return "org.mariadb.jdbc.Driver";
    }

    @Override
    public String jdbcUrl(SqlSettings s) {
        String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return "jdbc:mariadb://" + host + ":" + s.port() + "/" + s.database();
    }

    @Override
    public Properties driverProperties(Settings conf, SqlSettings s) {
        Properties p = new Properties();
        p.setProperty("connectTimeout", Long.toString(s.connectTimeout().toMillis()));
        // a server that stops answering (not closing) must not hold a pool thread past the query's own timeout
        p.setProperty("socketTimeout", Long.toString(s.queryTimeout().toMillis() + 1000));
        p.setProperty("useServerPrepStmts", "true");      // parameters travel apart from the statement text
        p.setProperty("allowMultiQueries", "false");
        String prefix = s.prefix();
        if (conf.bool(prefix + ".ssl", false)) {
            boolean verify = conf.bool(prefix + ".ssl.verify", false);
            p.setProperty("sslMode", verify ? "verify-full" : "trust");
            conf.find(prefix + ".ssl.cacertfile").filter(f -> !f.isBlank())
                    .ifPresent(f -> p.setProperty("serverSslCert", readable(conf, prefix + ".ssl.cacertfile", f)));
            for (String key : new String[]{prefix + ".ssl.certfile", prefix + ".ssl.keyfile"}) {
                if (conf.find(key).filter(f -> !f.isBlank()).isPresent()) {
                    throw conf.invalid(key, "nothing: a client certificate to MySQL is not supported yet (the "
                            + "server certificate is checked with ssl.cacertfile and ssl.verify)");
                }
            }
        }
        return p;
    }

    private static String readable(Settings conf, String key, String file) {
        if (!Files.isReadable(Path.of(file))) {
            throw conf.invalid(key, "a readable PEM file");
        }
        return file;
    }

    @Override
    public boolean isSuperuser(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof Number n && n.doubleValue() == 1.0;
    }

    @Override
    public boolean isEmpty(String whoColumn) {
        return whoColumn == null || whoColumn.isEmpty();
    }
}
