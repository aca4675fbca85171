package io.jemq.access.local;

import io.jemq.plugin.Plugin;
import io.jemq.plugin.PluginContext;
import io.jemq.plugin.PluginFactory;

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
