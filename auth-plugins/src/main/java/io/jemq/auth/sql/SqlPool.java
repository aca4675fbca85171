package io.jemq.auth.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.SourceUnavailableException;
import io.jemq.api.SqlTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Types;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One SQL backend's connections (HikariCP, {@code pool} of them) and the one way the sources use them: run a
 * configured query with its placeholders bound as parameters, on the calling thread, which is always one of the
 * plugin's pool threads ({@code PluginContext.callBlocking}), never an event loop.
 *
 * <p>The pool starts without a connection, so the plugin loads while the server is down; HikariCP keeps trying in
 * the background and requests work again as soon as it has one. Meanwhile a request fails at once (after the first has
 * waited {@code connect_timeout}) with a {@link SourceUnavailableException} saying what is out, and the broker answers
 * by the plugin's failure policy. Every failure of a query (server gone, too slow, bad SQL, a table missing) is such an
 * exception, its message naming the key of the query that failed. Thread-safe.
 */
public final class SqlPool implements AutoCloseable {
    /** Reads what one query returned, on the pool thread, before the statement closes. */
    @FunctionalInterface
    public interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private final SqlSettings settings;
    private final String product;
    private final HikariDataSource dataSource;
    private final int queryTimeoutSeconds;
    /** Why the last attempt to get a connection failed; null once one was got. */
    private volatile SQLException unreachable;

    private SqlPool(SqlSettings settings, String product, HikariDataSource dataSource) {
        this.settings = settings;
        this.product = product;
        this.dataSource = dataSource;
        this.queryTimeoutSeconds = (int) Math.max(1, settings.queryTimeout().toSeconds());
    }

    /** Makes the pool without connecting: the server may be down now and come later. */
    public static SqlPool open(SqlSettings settings, SqlDialect dialect, Properties driverProperties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(settings.plugin());
        config.setDriverClassName(dialect.driverClassName());
        config.setJdbcUrl(dialect.jdbcUrl(settings));
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setDataSourceProperties(driverProperties);
        config.setMaximumPoolSize(settings.pool());
        config.setMinimumIdle(settings.pool());       // kept full, so a server that comes back is found unasked
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectTimeout().toMillis(), 2000));
        config.setInitializationFailTimeout(-1);       // load now, connect when the server is there
        config.setReadOnly(true);                      // the queries only read: nothing a value does can write
        config.setRegisterMbeans(false);
        AtomicInteger threads = new AtomicInteger();
        config.setThreadFactory(r -> {
            Thread t = new Thread(r, "jemq-" + settings.plugin() + "-connector-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new SqlPool(settings, dialect.product(), new HikariDataSource(config));
    }

    /**
     * Runs {@code query} with its placeholders' values bound (an absent value as SQL NULL) and hands the rows to
     * {@code reader}. A connection the server dropped since it was last used is replaced once.
     *
     * @param key the query's key ({@code auth.mysql.auth_query}), named when it fails
     * @throws SourceUnavailableException when the server cannot be reached, is too slow, or refuses the query
     */
    public <T> T query(String key, SqlTemplate query, PlaceholderValues values, RowsReader<T> reader) {
        List<String> parameters = query.parameters(values);
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = connect(); PreparedStatement st = connection.prepareStatement(query.sql())) {
                st.setQueryTimeout(queryTimeoutSeconds);
                for (int i = 0; i < parameters.size(); i++) {
                    if (parameters.get(i) == null) {
                        st.setNull(i + 1, Types.VARCHAR);
                    } else {
                        st.setString(i + 1, parameters.get(i));
                    }
                }
                try (ResultSet rows = st.executeQuery()) {
                    return reader.read(rows);
                }
            } catch (SQLException e) {
                if (isConnectionLost(e)) {
                    // the others are as dead as this one: evicting them now spares each its own warning and wait
                    dataSource.getHikariPoolMXBean().softEvictConnections();
                }
                if (!isConnectionLost(e) || attempt > 1) {
                    throw failure(key, e);
                }
            }
        }
    }

    /** A failure of the configured query or of what it returned, as the broker should log it. */
    public SourceUnavailableException schemaError(String key, String what) {
        return new SourceUnavailableException(settings.plugin(), key + ": " + what);
    }

    private Connection connect() {
        SQLException down = unreachable;
        if (down != null && dataSource.getHikariPoolMXBean() != null
                && dataSource.getHikariPoolMXBean().getTotalConnections() == 0) {
            throw unreachable(down);                   // answer at once until the pool has a connection again
        }
        try {
            Connection c = dataSource.getConnection();
            unreachable = null;
            return c;
        } catch (SQLException e) {
            unreachable = e;
            throw unreachable(e);
        }
    }

    private SourceUnavailableException unreachable(SQLException e) {
        return new SourceUnavailableException(settings.plugin(), "cannot reach " + product + " at "
                + settings.where() + ": " + cause(e));
    }

    private SourceUnavailableException failure(String key, SQLException e) {
        if (isTimeout(e)) {
            return new SourceUnavailableException(settings.plugin(), key + ": no answer from " + product
                    + " within " + settings.key("query_timeout") + " (" + settings.queryTimeout().toSeconds() + "s)");
        }
        if (isConnectionLost(e)) {
            return new SourceUnavailableException(settings.plugin(), "lost the connection to " + product + " at "
                    + settings.where() + ": " + cause(e));
        }
        return new SourceUnavailableException(settings.plugin(), key + " failed: " + cause(e));
    }

    /** The driver's timeout, or the server's own words for it (PostgreSQL 57014, MariaDB 70100). */
    private static boolean isTimeout(SQLException e) {
        return e instanceof SQLTimeoutException || "57014".equals(e.getSQLState()) || "70100".equals(e.getSQLState());
    }

    /** SQLSTATE class 08, or PostgreSQL's 57P01-03 (shut down, crashed, starting): the connection, not the query. */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /** The driver's own words: the innermost exception with a message (HikariCP wraps the driver's). */
    private static String cause(Throwable e) {
        Throwable best = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && t instanceof SQLException) {
                best = t;
            }
        }
        String message = best.getMessage() == null ? best.getClass().getSimpleName() : best.getMessage();
        return message.strip().replaceAll("\\s+", " ");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
