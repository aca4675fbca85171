package io.jemq.plugin.local;

import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;

/** {@code emq_auth_username}: authentication by username and password. */
public final class UsernamePluginFactory implements PluginFactory {
    @Override
    public String name() {
        return CredentialPlugin.Kind.USERNAME.plugin();
    }

    @Override
    public String description() {
        return "Authentication with Username/Password";
    }

    @Override
    public Plugin create(PluginContext context) {
        return CredentialPlugin.create(CredentialPlugin.Kind.USERNAME, context);
    }
}
