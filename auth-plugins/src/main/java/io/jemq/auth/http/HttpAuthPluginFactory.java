package io.jemq.auth.http;

import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;

/**
 * {@code emq_auth_http}: authentication and ACL by asking an HTTP server, with EMQ 2.x's keys and EMQX Edge's (seed
 * 003), see docs/access-control.md. Found by {@link java.util.ServiceLoader}; {@link #create} runs on the thread that
 * loads the plugin, reads {@code etc/plugins/emq_auth_http.conf} and fails with file, line and key when it is wrong.
 * A server that is down does not fail the load: its requests fail until it is back.
 */
public final class HttpAuthPluginFactory implements PluginFactory {
    /** The plugin's name, its config file's and its sources'. */
    public static final String NAME = "emq_auth_http";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Authentication and ACL with an HTTP server";
    }

    @Override
    public Plugin create(PluginContext context) {
        HttpAuthSettings settings = HttpAuthSettings.from(context.settings());
        return new HttpAuthPlugin(settings, context.configFile().orElse(null),
                new RequestCounters(context.metrics()));
    }
}
