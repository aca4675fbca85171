package io.jemq.plugin.local;

import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;

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
