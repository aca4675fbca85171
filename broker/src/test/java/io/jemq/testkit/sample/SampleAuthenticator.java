package io.jemq.testkit.sample;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.PasswordHash;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginMetrics;
import io.jemq.api.Template;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Looks the client up by the DN its username gives and checks the password against the entry's hash. Called on the
 * client's event loop, so it only builds the request there; the lookup runs on the plugin's pool and the chain brings
 * the answer back. Answers: no username or no such entry → IGNORE (the next source, then
 * {@code mqtt.allow_anonymous}, decides); an entry and a wrong password → DENY; the right one → ALLOW. A failure is
 * left to fail: the broker answers it with the plugin's {@code auth.sample.on_error} policy.
 */
final class SampleAuthenticator implements Authenticator {
    private final PluginContext context;
    private final Template userDn;
    private final PasswordHash hash;
    private final Map<String, String> directory;
    private final PluginMetrics.Counter success;
    private final PluginMetrics.Counter failure;
    private final PluginMetrics.Counter ignore;

    SampleAuthenticator(PluginContext context, Template userDn, PasswordHash hash, Map<String, String> directory) {
        this.context = context;
        this.userDn = userDn;
        this.hash = hash;
        this.directory = directory;
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
        if (!userDn.unfilled(values).isEmpty()) {
            ignore.increment();                             // no username: not ours to decide
            return AuthResult.IGNORE_STAGE;
        }
        String dn = userDn.render(values, Placeholders::escapeDnValue);
        return context.callBlocking(() -> lookUp(dn, password));
    }

    /** On a pool thread: where a real backend would block on its directory or database. */
    private AuthResult lookUp(String dn, byte[] password) {
        String stored = directory.get(dn);
        if (stored == null) {
            ignore.increment();
            return AuthResult.IGNORE;
        }
        if (!hash.matches(password, stored, null)) {
            failure.increment();
            return AuthResult.deny("bad password for " + dn);
        }
        success.increment();
        return AuthResult.allow(false);
    }
}
