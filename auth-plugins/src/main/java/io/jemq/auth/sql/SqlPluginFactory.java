package io.jemq.auth.sql;

import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * The part of {@code emq_auth_mysql} and {@code emq_auth_pgsql} they share: reads the keys ({@link SqlSettings} and
 * the dialect's own), opens the pool without waiting for the server, and hands back the sources the set queries ask
 * for. A subclass names the plugin and its {@link SqlDialect}. The broker calls {@link #create} on the loading thread.
 */
public abstract class SqlPluginFactory implements PluginFactory {
    private static final Logger log = LoggerFactory.getLogger(SqlPluginFactory.class);

    /** How this backend differs from the other. */
    protected abstract SqlDialect dialect();

    @Override
    public Plugin create(PluginContext context) {
        SqlDialect dialect = dialect();
        SqlSettings settings = SqlSettings.read(name(), settingsPrefix(), context.settings(), dialect.defaultPort());
        Properties driverProperties = dialect.driverProperties(context.settings(), settings);
        if (settings.authQuery() == null && settings.aclQuery() == null) {
            log.warn("{}: neither {} nor {} is set, so the plugin does nothing", name(),
                    settings.key("auth_query"), settings.key("acl_query"));
        }
        SqlPool pool = SqlPool.open(settings, dialect, driverProperties);
        log.info("{}: {} at {} as {}, pool {}; auth_query {}, password_hash {}, super_query {}, acl_query {}", name(),
                dialect.product(), settings.where(), settings.username(), settings.pool(),
                onOff(settings.authQuery()), settings.passwordHash(), onOff(settings.superQuery()),
                onOff(settings.aclQuery()));
        return new SqlPlugin(context, settings, dialect, pool);
    }

    private static String onOff(Object query) {
        return query == null ? "off" : "on";
    }
}
