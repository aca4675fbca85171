package io.jemq.auth.http;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.Placeholder;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.SourceUnavailableException;
import io.jemq.auth.http.HttpRequestSpec.Kind;
import io.jemq.auth.http.RequestCounters.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code auth_req} at CONNECT, then the superuser: from the answer's JSON {@code is_superuser} when it has one,
 * otherwise from {@code super_req} when that is asked at CONNECT (EMQ 2.x: its parameters use neither %A nor %t).
 * Called on the client's event loop; returns the HTTP client's future and never blocks. A client without a username
 * is IGNOREd when auth_req sends {@code %u} (so {@code mqtt.allow_anonymous} decides, REFERENCE 4). A super_req that
 * fails gives no superuser rights (EMQ), logged once per outage; an auth_req that fails fails the stage.
 */
final class HttpAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(HttpAuthenticator.class);

    private final Supplier<HttpAuthRuntime> runtime;
    private final RequestCounters counters;
    private final AtomicBoolean superDown = new AtomicBoolean();

    HttpAuthenticator(Supplier<HttpAuthRuntime> runtime, RequestCounters counters) {
        this.runtime = runtime;
        this.counters = counters;
    }

    @Override
    public String name() {
        return HttpAuthPluginFactory.NAME;
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        HttpAuthRuntime rt = runtime.get();
        HttpRequestSpec auth = rt.settings.authAsked();
        if (auth == null) {
            return AuthResult.IGNORE_STAGE;
        }
        PlaceholderValues values = PlaceholderValues.of(client).withPassword(password);
        if (auth.params().unfilled(values).contains(Placeholder.USERNAME)) {
            counters.count(Kind.AUTH_REQ, Outcome.IGNORE);
            return AuthResult.IGNORE_STAGE;
        }
        return rt.client.send(auth, values).thenCompose(answer -> {
            counters.count(Kind.AUTH_REQ, answer);
            return switch (answer.decision()) {
                case IGNORE -> AuthResult.IGNORE_STAGE;
                case DENY -> CompletableFuture.completedFuture(AuthResult.deny("auth_req answered HTTP "
                        + answer.status()));
                case ALLOW -> answer.superuser() != null
                        ? CompletableFuture.completedFuture(AuthResult.allow(answer.superuser()))
                        : superuser(rt, values);
            };
        });
    }

    private CompletableFuture<AuthResult> superuser(HttpAuthRuntime rt, PlaceholderValues values) {
        HttpRequestSpec superReq = rt.settings.superAtConnect();
        if (superReq == null) {
            return CompletableFuture.completedFuture(AuthResult.allow(false));
        }
        return rt.client.send(superReq, values).handle((answer, e) -> {
            if (e != null) {
                if (superDown.compareAndSet(false, true)) {
                    log.warn("emq_auth_http: {}; meanwhile clients connect without superuser rights",
                            SourceUnavailableException.describe(e));
                }
                return AuthResult.allow(false);
            }
            if (superDown.compareAndSet(true, false)) {
                log.info("emq_auth_http: super_req answers again");
            }
            counters.count(Kind.SUPER_REQ, answer.allows() ? Outcome.ALLOW : Outcome.DENY);
            return AuthResult.allow(answer.allows());
        });
    }
}
