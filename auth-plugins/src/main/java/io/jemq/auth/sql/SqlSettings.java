package io.jemq.auth.sql;

import io.jemq.api.PasswordHash;
import io.jemq.api.Placeholder;
import io.jemq.api.Placeholders;
import io.jemq.api.Settings;
import io.jemq.api.SqlTemplate;

import java.time.Duration;
import java.util.Optional;

/**
 * The keys an SQL backend shares with the other, as EMQ 2.x names them under the plugin's prefix
 * ({@code auth.mysql}, {@code auth.pgsql}), read once at load by {@link SqlPluginFactory}; immutable. A query that is
 * not set (or empty) turns its part off, as in EMQ.
 *
 * @param plugin         the plugin's name, {@code emq_auth_mysql}
 * @param prefix         its keys' prefix, {@code auth.mysql}
 * @param host           {@code server}'s host
 * @param port           {@code server}'s port, or the backend's default when it names a host alone
 * @param pool           {@code pool}: connections, the same number as the threads that use them
 * @param connectTimeout {@code connect_timeout} (3s): how long a request waits for a connection
 * @param queryTimeout   {@code query_timeout} (5s): how long one query may take
 * @param authQuery      {@code auth_query}, or null: no authentication
 * @param superQuery     {@code super_query}, or null: nobody is a superuser
 * @param aclQuery       {@code acl_query}, or null: no ACL
 */
public record SqlSettings(String plugin, String prefix, String host, int port, int pool, String username,
                          String password, String database, Duration connectTimeout, Duration queryTimeout,
                          SqlTemplate authQuery, PasswordHash passwordHash, SqlTemplate superQuery,
                          SqlTemplate aclQuery) {

    /** EMQ 2.0's separate pbkdf2 keys, used when {@code password_hash = pbkdf2} names no parameters. */
    private static final String PBKDF2_DEFAULTS = "sha256,1000,20";

    /** The full key of one of the plugin's settings: {@code key("auth_query")} is {@code auth.mysql.auth_query}. */
    public String key(String name) {
        return prefix + "." + name;
    }

    /** The server as a message shows it: {@code 127.0.0.1:3306/mqtt}. */
    public String where() {
        return host + ":" + port + "/" + database;
    }

    /** Without the password: settings end up in logs. */
    @Override
    public String toString() {
        return "SqlSettings[" + plugin + " " + username + "@" + where() + ", pool " + pool + "]";
    }

    /** @throws io.jemq.api.ConfigException naming file, line and key for a wrong value */
    public static SqlSettings read(String plugin, String prefix, Settings conf, int defaultPort) {
        String serverKey = prefix + ".server";
        String server = conf.string(serverKey, "127.0.0.1:" + defaultPort).strip();
        String host;
        int port;
        int colon = server.lastIndexOf(':');
        try {
            if (server.matches("\\d+")) {                          // EMQ: "Port | IP:Port"
                host = "127.0.0.1";
                port = Integer.parseInt(server);
            } else {
                host = colon < 0 ? server : server.substring(0, colon);
                port = colon < 0 ? defaultPort : Integer.parseInt(server.substring(colon + 1));
            }
        } catch (NumberFormatException e) {
            throw conf.invalid(serverKey, "host:port such as 127.0.0.1:" + defaultPort);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw conf.invalid(serverKey, "host:port such as 127.0.0.1:" + defaultPort);
        }
        return new SqlSettings(plugin, prefix, host, port, conf.integer(prefix + ".pool", 8, 1, 1024),
                conf.string(prefix + ".username", "root"), conf.string(prefix + ".password", ""),
                conf.string(prefix + ".database", "mqtt"),
                conf.duration(prefix + ".connect_timeout", "3s", Duration.ofMillis(250), Duration.ofMinutes(5)),
                conf.duration(prefix + ".query_timeout", "5s", Duration.ofSeconds(1), Duration.ofMinutes(5)),
                query(conf, prefix + ".auth_query", Placeholder.AT_CONNECT), passwordHash(conf, prefix),
                query(conf, prefix + ".super_query", Placeholder.AT_CONNECT),
                query(conf, prefix + ".acl_query", Placeholder.AT_ACL_CHECK));
    }

    private static SqlTemplate query(Settings conf, String key, java.util.Set<Placeholder> available) {
        Optional<String> text = conf.find(key);
        if (text.isEmpty() || text.get().isBlank()) {
            return null;
        }
        return Placeholders.setting(conf, key, q -> Placeholders.sql(q, available)).orElseThrow();
    }

    /**
     * {@code password_hash} in every spelling EMQ had ({@link PasswordHash#parse}); a bare {@code pbkdf2} takes its
     * parameters from EMQ 2.0's {@code pbkdf2_macfun}, {@code pbkdf2_iterations} and {@code pbkdf2_dklen}.
     */
    private static PasswordHash passwordHash(Settings conf, String prefix) {
        String key = prefix + ".password_hash";
        String value = conf.string(key, "sha256").strip();
        if (value.equalsIgnoreCase("pbkdf2")) {
            String[] defaults = PBKDF2_DEFAULTS.split(",");
            String mac = conf.string(prefix + ".pbkdf2_macfun", defaults[0]);
            int iterations = conf.integer(prefix + ".pbkdf2_iterations", Integer.parseInt(defaults[1]), 1,
                    10_000_000);
            int keyLength = conf.integer(prefix + ".pbkdf2_dklen", Integer.parseInt(defaults[2]), 1, 1024);
            try {
                return PasswordHash.pbkdf2(mac, iterations, keyLength);
            } catch (IllegalArgumentException e) {
                throw conf.invalid(prefix + ".pbkdf2_macfun", e.getMessage());
            }
        }
        return conf.parsed(key, PasswordHash.parse("sha256"), "a password_hash such as sha256, salt,sha256 or "
                + "pbkdf2,sha256,1000,20", text -> {
                    try {
                        return PasswordHash.parse(text);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                });
    }
}
