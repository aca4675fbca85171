package io.jemq.auth.sql;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code acl_query} of an SQL backend: the rows about the client ({@link AclRow}), asked on the plugin's pool for
 * each check the broker's per-connection ACL cache does not already know. As in EMQ 2.x the rows are tried <b>last
 * row first</b> (EMQ compiled them into a list in reverse), so a later row overrides an earlier one, and only those
 * about the access asked (publish, subscribe, or 3 for both). The first that matches the client and the topic allows
 * or denies; no rows, or none that matches: IGNORE, and the next source or {@code mqtt.acl_nomatch} decides. A query
 * that fails fails the stage, and the broker's failure policy denies the check.
 */
public final class SqlAuthorizer implements Authorizer {
    private static final int COLUMNS = 6;

    private final PluginContext context;
    private final SqlSettings settings;
    private final SqlDialect dialect;
    private final SqlPool pool;
    private final PluginMetrics.Counter allowed;
    private final PluginMetrics.Counter denied;
    private final PluginMetrics.Counter ignored;

    public SqlAuthorizer(PluginContext context, SqlSettings settings, SqlDialect dialect, SqlPool pool) {
        this.context = context;
        this.settings = settings;
        this.dialect = dialect;
        this.pool = pool;
        this.allowed = context.metrics().counter("acl/allow");
        this.denied = context.metrics().counter("acl/deny");
        this.ignored = context.metrics().counter("acl/ignore");
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
        PlaceholderValues values = PlaceholderValues.of(client).withCheck(access, topic);
        return context.callBlocking(() -> decide(client, access, topic, values));
    }

    /** On a pool thread. */
    private AclResult decide(ClientInfo client, Access access, String topic, PlaceholderValues values) {
        String key = settings.key("acl_query");
        List<AclRow> rows = pool.query(key, settings.aclQuery(), values, this::read);
        for (int i = rows.size() - 1; i >= 0; i--) {
            AclRow row = rows.get(i);
            if (row.covers(access) && row.matches(client, topic, dialect)) {
                (row.allows() ? allowed : denied).increment();
                return row.allows() ? AclResult.ALLOW : AclResult.DENY;
            }
        }
        ignored.increment();
        return AclResult.IGNORE;
    }

    private List<AclRow> read(ResultSet rows) throws SQLException {
        int columns = rows.getMetaData().getColumnCount();
        if (columns < COLUMNS) {
            throw pool.schemaError(settings.key("acl_query"), "returns " + columns + " columns; expected six: allow, "
                    + "ipaddr, username, clientid, access, topic");
        }
        List<AclRow> out = new ArrayList<>();
        while (rows.next()) {
            out.add(new AclRow(integer(rows.getObject(1)), rows.getString(2), rows.getString(3), rows.getString(4),
                    integer(rows.getObject(5)), rows.getString(6)));
        }
        return out;
    }

    /** An integer column, or one EMQ read as {@code "1"}/{@code "0"}, or a boolean; null for anything else. */
    private static Integer integer(Object value) {
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s && s.strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(s.strip());
        }
        return null;
    }
}
