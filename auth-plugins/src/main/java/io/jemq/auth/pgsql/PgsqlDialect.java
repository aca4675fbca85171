package io.jemq.auth.pgsql;

import io.jemq.api.Settings;
import io.jemq.auth.sql.SqlDialect;
import io.jemq.auth.sql.SqlSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * PostgreSQL through pgjdbc, with EMQ's row rules: a superuser's {@code is_superuser} is the boolean true (an
 * integer 1 is not, as in EMQ), and only a NULL ACL column is empty. Its own keys are EMQ's: {@code encoding} (utf8,
 * the only one pgjdbc speaks), {@code ssl} and {@code ssl_opts.cacertfile / certfile / keyfile}. Parameters are
 * sent untyped, so the server types them from the query as EMQ's driver let it (a {@code %a} compared with an
 * {@code inet} column works). Stateless.
 */
final class PgsqlDialect implements SqlDialect {
    @Override
    public String product() {
        return "PostgreSQL";
    }

    @Override
    public int defaultPort() {
        return 5432;
    }

    @Override
    public String driverClassName() {
        return "org.postgresql.Driver";
    }

    @Override
    public String jdbcUrl(SqlSettings s) {
        String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        return "jdbc:postgresql://" + host + ":" + s.port() + "/" + s.database();
    }

    @Override
    public Properties driverProperties(Settings conf, SqlSettings s) {
        String prefix = s.prefix();
        String encoding = conf.string(prefix + ".encoding", "utf8").strip().toLowerCase(Locale.ROOT);
        if (!encoding.equals("utf8") && !encoding.equals("utf-8")) {
            throw conf.invalid(prefix + ".encoding", "utf8 (the JDBC driver speaks UTF-8 only)");
        }
        Properties p = new Properties();
        p.setProperty("connectTimeout", Long.toString(Math.max(1, s.connectTimeout().toSeconds())));
        p.setProperty("loginTimeout", Long.toString(Math.max(1, s.connectTimeout().toSeconds())));
        // a server that stops answering (not closing) must not hold a pool thread past the query's own timeout
        p.setProperty("socketTimeout", Long.toString(s.queryTimeout().toSeconds() + 1));
        p.setProperty("stringtype", "unspecified");
        p.setProperty("ApplicationName", s.plugin());
        if (conf.bool(prefix + ".ssl", false)) {
            p.setProperty("ssl", "true");
            p.setProperty("sslmode", "require");
            String ca = file(conf, prefix + ".ssl_opts.cacertfile");
            if (ca != null) {
                p.setProperty("sslmode", "verify-full");
                p.setProperty("sslrootcert", ca);
            }
            String cert = file(conf, prefix + ".ssl_opts.certfile");
            String key = file(conf, prefix + ".ssl_opts.keyfile");
            if (cert != null) {
                p.setProperty("sslcert", cert);
            }
            if (key != null) {
                p.setProperty("sslkey", key);
            }
        } else {
            p.setProperty("sslmode", "disable");
        }
        return p;
    }

    private static String file(Settings conf, String key) {
        String file = conf.find(key).map(String::strip).filter(f -> !f.isEmpty()).orElse(null);
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw conf.invalid(key, "a readable file");
        }
        return file;
    }

    @Override
    public boolean isSuperuser(Object value) {
        return Boolean.TRUE.equals(value);
    }

    @Override
    public boolean isEmpty(String whoColumn) {
        return whoColumn == null;
    }
}
