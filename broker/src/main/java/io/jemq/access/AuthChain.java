package io.jemq.access;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.FailurePolicy;
import io.jemq.api.SourceUnavailableException;
import io.jemq.sys.AuthOutcome;
import io.jemq.sys.Counter;
import io.jemq.sys.Alarms;
import io.jemq.sys.Counters;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Asks each authenticator in order (the most recently loaded plugin first); the first ALLOW or DENY decides; when
 * all ignore (or none is loaded), {@code mqtt.allow_anonymous} does. Each source has {@code mqtt.auth_timeout} to
 * answer. A source that fails or times out is answered by its plugin's {@link FailurePolicy}: DENY (the default)
 * ends the chain with {@link SourceUnavailableException} (CONNACK 3 / 0x88), IGNORE asks the next source; never an
 * allow. The list is immutable and swapped whole when plugins change. Thread-safe.
 */
public final class AuthChain {
    /** The answer when every source ignored and anonymous clients are refused: CONNACK 5 / 0x87. */
    public static final AuthResult NO_MODULE = AuthResult.deny("not authorized: no authentication module accepted "
            + "the client and mqtt.allow_anonymous is false");
    private static final AuthResult ANONYMOUS = AuthResult.allow(false);

    /** The sources in the order asked, and what each one's failure answers: swapped together. */
    private record Sources(List<Authenticator> list, List<FailurePolicy> onError) {
    }

    private volatile Sources sources = new Sources(List.of(), List.of());
    private final boolean allowAnonymous;
    private final long timeoutMillis;
    private final Counters counters;
    private final SourceHealth health = new SourceHealth("auth");

    public AuthChain(boolean allowAnonymous, Duration timeout, Counters counters) {
        this.allowAnonymous = allowAnonymous;
        this.timeoutMillis = timeout.toMillis();
        this.counters = counters;
    }

    /** With the defaults (5 s per source), for embedding and tests. */
    public AuthChain(boolean allowAnonymous) {
        this(allowAnonymous, Duration.ofSeconds(5), new Counters());
    }

    /** @param newSources in the order they are asked; a failure of any of them answers DENY */
    /** Raises an alarm while a source is down (the broker calls this once, with its alarms). */
    public void reportOutagesTo(Alarms alarms) {
        health.reportTo(alarms);
    }

    public void setSources(List<Authenticator> newSources) {
        setSources(newSources, Collections.nCopies(newSources.size(), FailurePolicy.DENY));
    }

    /**
     * @param newSources in the order they are asked
     * @param onError    what a failure of the source at the same index answers
     */
    public void setSources(List<Authenticator> newSources, List<FailurePolicy> onError) {
        if (newSources.size() != onError.size()) {
            throw new IllegalArgumentException(newSources.size() + " sources but " + onError.size() + " policies");
        }
        this.sources = new Sources(List.copyOf(newSources), List.copyOf(onError));
    }

    public List<Authenticator> sources() {
        return sources.list();
    }

    /**
     * The decision for one CONNECT; never IGNORE. Completes on whatever thread the last source completed on, or
     * exceptionally with {@link SourceUnavailableException}.
     */
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        return ask(sources, 0, client, password).thenApply(r -> {
            if (r.decision() != AuthResult.Decision.IGNORE) {
                return r;
            }
            if (allowAnonymous) {
                counters.bump(Counter.AUTH_ANONYMOUS);
                return ANONYMOUS;
            }
            return NO_MODULE;
        });
    }

    private CompletableFuture<AuthResult> ask(Sources list, int i, ClientInfo c, byte[] pw) {
        if (i == list.list().size()) {
            return AuthResult.IGNORE_STAGE;
        }
        Authenticator source = list.list().get(i);
        CompletableFuture<AuthResult> answer;
        try {
            answer = source.authenticate(c, pw).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        // the timeout goes on a copy: a source may hand one future (a cache entry being filled) to many callers, and
        // failing it would fail them all, and keep failing whoever that cache hands it to next
        return answer.copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).handle((r, e) -> {
            if (e != null || r == null) {
                Throwable why = e != null ? e : new IllegalStateException("no answer (null)");
                counters.authOutcome(source.name(), AuthOutcome.ERROR);
                FailurePolicy onError = list.onError().get(i);
                health.failed(source.name(), "authentication", why, onError);
                return onError == FailurePolicy.IGNORE ? ask(list, i + 1, c, pw)
                        : CompletableFuture.<AuthResult>failedFuture(new SourceUnavailableException(
                                "authentication source " + source.name(), why));
            }
            health.answered(source.name(), "authentication");
            counters.authOutcome(source.name(), outcome(r.decision()));
            return r.decision() == AuthResult.Decision.IGNORE ? ask(list, i + 1, c, pw)
                    : CompletableFuture.completedFuture(r);
        }).thenCompose(f -> f);
    }

    private static AuthOutcome outcome(AuthResult.Decision d) {
        return switch (d) {
            case ALLOW -> AuthOutcome.SUCCESS;
            case DENY -> AuthOutcome.FAILURE;
            case IGNORE -> AuthOutcome.IGNORE;
        };
    }
}
