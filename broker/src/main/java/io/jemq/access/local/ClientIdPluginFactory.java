package io.jemq.access.local;

import io.jemq.plugin.Plugin;
import io.jemq.plugin.PluginContext;
import io.jemq.plugin.PluginFactory;

/** {@code emq_auth_clientid}: authentication by client id and password. */
public final class ClientIdPluginFactory implements PluginFactory {
    @Override
    public String name() {
        return CredentialPlugin.Kind.CLIENTID.plugin();
    }

    @Override
    public String description() {
        return "Authentication with ClientId/Password";
    }

    @Override
    public Plugin create(PluginContext context) {
        return CredentialPlugin.create(CredentialPlugin.Kind.CLIENTID, context);
    }
}
