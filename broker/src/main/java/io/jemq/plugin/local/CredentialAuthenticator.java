package io.jemq.plugin.local;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Checks a client against a {@link CredentialStore} by username or by client id. No name, or a name not in the
 * store: IGNORE, so the next source (finally {@code mqtt.allow_anonymous}) decides. Known name with a wrong or
 * missing password: DENY. Never a superuser. A salted SHA-256 is checked on the caller's thread; bcrypt, which
 * takes tens of milliseconds on purpose, on {@code slowChecks}.
 */
final class CredentialAuthenticator implements Authenticator {
    private final String name;
    private final CredentialStore store;
    private final Function<ClientInfo, String> identity;
    private final Executor slowChecks;

    CredentialAuthenticator(String name, CredentialStore store, Function<ClientInfo, String> identity,
                            Executor slowChecks) {
        this.name = name;
        this.store = store;
        this.identity = identity;
        this.slowChecks = slowChecks;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        CredentialStore.Entry e = store.find(identity.apply(client));
        if (e == null) {
            return AuthResult.IGNORE_STAGE;
        }
        if (password == null) {
            return CompletableFuture.completedFuture(AuthResult.deny("missing password"));
        }
        if (e.slow()) {
            return CompletableFuture.supplyAsync(() -> decide(e, password), slowChecks);
        }
        return CompletableFuture.completedFuture(decide(e, password));
    }

    private static AuthResult decide(CredentialStore.Entry e, byte[] password) {
        return e.matches(password) ? AuthResult.allow(false) : AuthResult.deny("bad password");
    }
}
