package io.jemq.auth.ldap;

import io.jemq.api.Authenticator;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;

/**
 * {@code emq_auth_ldap}: authentication against an LDAP directory (UnboundID LDAP SDK), in EMQ's two designs, bind as
 * the user ({@code auth.ldap.user_dn}) or search as a service account ({@code auth.ldap.auth_dn},
 * {@code bind_dn}), over {@code auth.ldap.servers} with failover, optionally over TLS. Found by ServiceLoader; the
 * broker calls {@link #create} on the loading thread. A broken setting fails the load naming file, line and key; a
 * directory that is down does not (its CONNECTs get "server unavailable" until it is back, with no reload).
 */
public final class LdapPluginFactory implements PluginFactory {
    static final String NAME = "emq_auth_ldap";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Authentication with LDAP";
    }

    @Override
    public Plugin create(PluginContext context) {
        LdapSettings settings = LdapSettings.from(NAME, context.settings());
        LdapDirectory directory = new LdapDirectory(context.name(), settings,
                LdapServers.of(settings, context.settings()), !settings.searches(),
                settings.searches() || settings.bindDn().isPresent());
        LdapCounters counters = new LdapCounters(context.metrics());
        Authenticator authenticator = settings.searches()
                ? new SearchAuthenticator(context, settings, directory, counters)
                : new UserBindAuthenticator(context, settings.userDn().orElseThrow(), directory, counters);
        return new LdapPlugin(authenticator, directory);
    }
}
