package io.jemq.auth.sql;

import io.jemq.auth.servers.SqlServer;
import io.jemq.testkit.EmbeddedBroker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SQL backend as its tests see it: the plugin's name and prefix, its server, the seed's tables, and the plugin
 * configuration EMQ's documentation shows, which a test changes key by key. The two backends' subclasses of the
 * contracts differ only in one of these.
 */
abstract class SqlBackendFixture {
    /** EMQ's default acl_query, as the seed writes it. */
    static final String ACL_QUERY = "select allow, ipaddr, username, clientid, access, topic from mqtt_acl where "
            + "ipaddr = '%a' or username = '%u' or username = '$all' or clientid = '%c'";
    /** EMQ 2.3's mqtt.sql rows (REFERENCE 2.8); the seed shows row 3 of them. */
    static final String ACL_ROWS = """
            INSERT INTO mqtt_acl (id, allow, ipaddr, username, clientid, access, topic)
            VALUES
                (1,1,NULL,'$all',NULL,2,'#'),
                (2,0,NULL,'$all',NULL,1,'$SYS/#'),
                (3,0,NULL,'$all',NULL,1,'eq #'),
                (5,1,'127.0.0.1',NULL,NULL,2,'#'),
                (6,1,NULL,'dashboard',NULL,1,'$SYS/#')""";

    abstract String plugin();

    abstract String prefix();

    abstract SqlServer startServer();

    /** The seed's CREATE TABLE statements as written (the seed cut off each closing parenthesis), then ours. */
    abstract String[] schema();

    /** The {@code is_superuser} value that makes a superuser in this backend (1, true). */
    abstract String superuserTrue();

    abstract String superuserFalse();

    /** An auth_query that takes ten seconds to answer. */
    abstract String slowAuthQuery();

    /** Sets the plugin's TLS keys: on, the server verified against {@code caFile}. */
    abstract void tls(Map<String, String> conf, String caFile);

    /** An auth_query that finds the user only over a TLS connection (the plugin's own session is asked). */
    abstract String tlsOnlyAuthQuery();

    /** The plugin's keys as EMQ's documentation sets them, pointed at {@code server}. */
    Map<String, String> conf(SqlServer server) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("server", "127.0.0.1:" + server.port());
        conf.put("pool", "4");
        conf.put("username", server.user());
        conf.put("password", server.password());
        conf.put("database", "mqtt");
        conf.put("auth_query", "select password from mqtt_user where username = '%u' limit 1");
        conf.put("password_hash", "sha256");
        conf.put("super_query", "select is_superuser from mqtt_user where username = '%u' limit 1");
        conf.put("acl_query", ACL_QUERY);
        return conf;
    }

    /** A broker with the plugin loaded and configured by {@code conf}, anonymous clients refused. */
    EmbeddedBroker.Builder broker(Map<String, String> conf) {
        StringBuilder text = new StringBuilder();
        conf.forEach((k, v) -> text.append(prefix()).append('.').append(k).append(" = ").append(v).append('\n'));
        return EmbeddedBroker.builder().pluginConf(plugin(), text.toString()).loaded(plugin())
                .set("mqtt.allow_anonymous", "false");
    }

    /** Adds or replaces a user of {@code mqtt_user}; a null salt or superuser flag is NULL. */
    static void user(SqlServer server, String name, String password, String salt, String superuser) {
        server.execute("DELETE FROM mqtt_user WHERE username = '" + name.replace("'", "''") + "'");
        try (Connection c = DriverManager.getConnection(server.adminUrl());
             PreparedStatement st = c.prepareStatement("INSERT INTO mqtt_user (username, password, salt, "
                     + "is_superuser) VALUES (?, ?, ?, " + (superuser == null ? "NULL" : superuser) + ")")) {
            st.setString(1, name);
            st.setString(2, password);
            st.setString(3, salt);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
