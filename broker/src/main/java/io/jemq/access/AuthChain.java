package io.jemq.access;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks each authenticator in order; the first ALLOW or DENY decides; when all ignore (or none is loaded),
 * {@code mqtt.allow_anonymous} does. The list is immutable and swapped whole when plugins change.
 */
public final class AuthChain {
    /** The answer when every source ignored and anonymous clients are refused: CONNACK 5 / 0x87. */
    public static final AuthResult NO_MODULE = AuthResult.deny("not authorized: no authentication module accepted "
            + "the client and mqtt.allow_anonymous is false");

    private volatile List<Authenticator> sources = List.of();
    private final boolean allowAnonymous;

    public AuthChain(boolean allowAnonymous) {
        this.allowAnonymous = allowAnonymous;
    }

    public void setSources(List<Authenticator> newSources) {
        this.sources = List.copyOf(newSources);
    }

    /** The decision for one CONNECT; never IGNORE. Completes on whatever thread the last source completed on. */
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        return ask(sources, 0, client, password).thenApply(r -> r.decision() != AuthResult.Decision.IGNORE ? r
                : allowAnonymous ? AuthResult.allow(false) : NO_MODULE);
    }

    private CompletionStage<AuthResult> ask(List<Authenticator> list, int i, ClientInfo c, byte[] pw) {
        if (i == list.size()) {
            return CompletableFuture.completedFuture(AuthResult.IGNORE);
        }
        return list.get(i).authenticate(c, pw).thenCompose(r -> r.decision() == AuthResult.Decision.IGNORE
                ? ask(list, i + 1, c, pw) : CompletableFuture.completedFuture(r));
    }
}
