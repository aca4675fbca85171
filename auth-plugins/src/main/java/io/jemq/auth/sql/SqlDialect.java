package io.jemq.auth.sql;

import io.jemq.api.Settings;

import java.util.Properties;

/**
 * What differs between the SQL backends ({@code emq_auth_mysql}, {@code emq_auth_pgsql}) behind the shared plugin:
 * the driver and its URL, the keys only one of them has (TLS, encoding), and the two places where EMQ's plugins read
 * rows differently (the superuser column, and which {@code mqtt_acl} columns count as empty). Asked by
 * {@link SqlPluginFactory} at load and by the sources on the plugin's pool threads; stateless and thread-safe.
 */
public interface SqlDialect {
    /** The product in messages: {@code MySQL}, {@code PostgreSQL}. */
    String product();

    /** The port of {@code server} when it names a host alone. */
    int defaultPort();

    /** The JDBC driver's class, named so that the pool need not find it through {@code DriverManager}. */
    String driverClassName();

    /** The JDBC URL of the server and database. */
    String jdbcUrl(SqlSettings settings);

    /**
     * The driver's connection properties: timeouts, TLS and whatever this backend's own keys set, read and checked
     * here.
     *
     * @throws io.jemq.api.ConfigException naming file, line and key for a wrong value
     */
    Properties driverProperties(Settings conf, SqlSettings settings);

    /** Whether the first column of {@code super_query}'s row makes the client a superuser (EMQ's rule per backend). */
    boolean isSuperuser(Object value);

    /**
     * Whether an {@code ipaddr}, {@code username} or {@code clientid} value of an ACL row is empty, so that the row is
     * not about it (EMQ: MySQL took NULL and {@code ''} as empty, PostgreSQL only NULL).
     */
    boolean isEmpty(String whoColumn);
}
