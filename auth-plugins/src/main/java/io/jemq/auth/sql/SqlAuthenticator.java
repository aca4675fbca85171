package io.jemq.auth.sql;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.PasswordHash;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SqlTemplate;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;

/**
 * {@code auth_query}, {@code password_hash} and {@code super_query} of an SQL backend, as EMQ 2.x's
 * {@code emq_auth_mysql} / {@code emq_auth_pgsql} answer them. Called on the client's event loop, it only builds the
 * request there; the queries and the hash (bcrypt and pbkdf2 are slow on purpose) run on the plugin's pool.
 * <ul>
 *   <li>A value the query needs is absent (no username): IGNORE, so the next source or {@code allow_anonymous}
 *       decides. No row: IGNORE.</li>
 *   <li>A row: the password is checked against its {@code password} column (the first one when none has that name),
 *       salted with its {@code salt} column (the second one) when {@code password_hash} says so. Wrong or missing:
 *       DENY. Right: ALLOW, a superuser when {@code super_query}'s first row says so.</li>
 *   <li>The server cannot be reached, is too slow or refuses a query: the stage fails with a message naming the key,
 *       and the broker answers by the plugin's failure policy. Nothing is cached.</li>
 * </ul>
 */
public final class SqlAuthenticator implements Authenticator {
    private final PluginContext context;
    private final SqlSettings settings;
    private final SqlDialect dialect;
    private final SqlPool pool;
    private final PluginMetrics.Counter success;
    private final PluginMetrics.Counter failure;
    private final PluginMetrics.Counter ignore;

    public SqlAuthenticator(PluginContext context, SqlSettings settings, SqlDialect dialect, SqlPool pool) {
        this.context = context;
        this.settings = settings;
        this.dialect = dialect;
        this.pool = pool;
        this.success = context.metrics().counter("auth/success");
        this.failure = context.metrics().counter("auth/failure");
        this.ignore = context.metrics().counter("auth/ignore");
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        PlaceholderValues values = PlaceholderValues.of(client).withPassword(password);
        if (!settings.authQuery().unfilled(values).isEmpty()) {
            ignore.increment();                          // no username: not ours to decide
            return AuthResult.IGNORE_STAGE;
        }
        return context.callBlocking(() -> check(values, password));
    }

    /** On a pool thread. */
    private AuthResult check(PlaceholderValues values, byte[] password) {
        String authKey = settings.key("auth_query");
        Stored stored = pool.query(authKey, settings.authQuery(), values, Stored::read);
        if (stored == null) {
            ignore.increment();
            return AuthResult.IGNORE;
        }
        PasswordHash hash = settings.passwordHash();
        if (hash.needsSalt() && !stored.hasSalt()) {
            throw pool.schemaError(authKey, "returns one column, but " + settings.key("password_hash") + " = "
                    + hash + " needs two: password, salt");
        }
        if (password == null || stored.hash() == null || !hash.matches(password, stored.hash(), stored.salt())) {
            failure.increment();
            return AuthResult.deny(password == null ? "no password" : stored.hash() == null ? "no stored password"
                    : "bad password");
        }
        boolean superuser = settings.superQuery() != null && isSuperuser(values);
        success.increment();
        return AuthResult.allow(superuser);
    }

    private boolean isSuperuser(PlaceholderValues values) {
        SqlTemplate query = settings.superQuery();
        return pool.query(settings.key("super_query"), query, values,
                rows -> rows.next() && dialect.isSuperuser(rows.getObject(1)));
    }

    /** The first row of {@code auth_query}: the stored hash and, when there is a second column, the salt. */
    private record Stored(String hash, String salt, boolean hasSalt) {
        static Stored read(ResultSet rows) throws SQLException {
            if (!rows.next()) {
                return null;
            }
            ResultSetMetaData meta = rows.getMetaData();
            int columns = meta.getColumnCount();
            int passwordColumn = column(meta, "password", 1);
            int saltColumn = column(meta, "salt", passwordColumn == 1 ? 2 : 1);
            boolean hasSalt = columns >= 2 && saltColumn <= columns;
            return new Stored(rows.getString(passwordColumn), hasSalt ? rows.getString(saltColumn) : null, hasSalt);
        }

        private static int column(ResultSetMetaData meta, String label, int otherwise) throws SQLException {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (label.equalsIgnoreCase(meta.getColumnLabel(i))) {
                    return i;
                }
            }
            return otherwise;
        }
    }
}
