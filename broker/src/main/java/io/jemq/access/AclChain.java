package io.jemq.access;

import io.jemq.api.Authorizer;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import io.jemq.config.AccessSettings.Nomatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the plugins' ACL sources (the most recently loaded first), then acl.conf; the first ALLOW or DENY decides;
 * when all ignore, {@code mqtt.acl_nomatch} does. A source that fails or does not answer within
 * {@code mqtt.auth_timeout} gives {@link AclDecision#FAILED}, a deny: with {@code acl_nomatch = allow}, ignoring it
 * would let everyone in during an outage. Sources that answer at once keep the whole check synchronous.
 *
 * <p>Also owns the generation of every connection's ACL cache: {@link #clearCaches} makes all of them forget at
 * once, without touching a connection. Thread-safe; the source list is swapped whole.
 */
public final class AclChain {
    private final AclDecision nomatch;
    private final long timeoutMillis;
    private final AclFile internal;
    private final SourceHealth health = new SourceHealth();
    private volatile Authorizer[] sources;
    private volatile long generation;

    public AclChain(Nomatch nomatch, Duration timeout, AclFile internal) {
        this.nomatch = nomatch == Nomatch.ALLOW ? AclDecision.ALLOW : AclDecision.DENY;
        this.timeoutMillis = timeout.toMillis();
        this.internal = internal;
        this.sources = new Authorizer[]{internal};
    }

    /** @param pluginSources in the order they are asked; acl.conf is always asked after them */
    public void setPluginSources(List<Authorizer> pluginSources) {
        List<Authorizer> all = new ArrayList<>(pluginSources);
        all.add(internal);
        sources = all.toArray(Authorizer[]::new);
        clearCaches();
    }

    /** Every source in the order asked, acl.conf last. */
    public List<Authorizer> sources() {
        return List.of(sources);
    }

    public AclFile internal() {
        return internal;
    }

    /** Every connection's cached answers are stale from now on. */
    public void clearCaches() {
        generation++;
    }

    long generation() {
        return generation;
    }

    /** The decision; already completed when every source asked answered at once. */
    public CompletableFuture<AclDecision> check(ClientInfo client, Access access, String topic) {
        return ask(sources, 0, client, access, topic);
    }

    private CompletableFuture<AclDecision> ask(Authorizer[] list, int from, ClientInfo c, Access access,
                                               String topic) {
        for (int i = from; i < list.length; i++) {
            Authorizer source = list[i];
            CompletableFuture<AclResult> answer;
            try {
                answer = source.check(c, access, topic).toCompletableFuture();
            } catch (RuntimeException e) {
                return failed(source, e);
            }
            if (!answer.isDone()) {
                int next = i + 1;
                // on a copy: the source's future may be shared with other callers (a cache entry being filled),
                // and this caller's timeout must not fail it for them
                return answer.copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                        .handle((r, e) -> e != null || r == null ? failed(source, e)
                                : r == AclResult.IGNORE ? ask(list, next, c, access, topic) : decided(source, r))
                        .thenCompose(f -> f);
            }
            if (answer.isCompletedExceptionally()) {
                return failed(source, answer.handle((r, e) -> e).join());
            }
            AclResult r = answer.join();
            if (r == null) {
                return failed(source, null);
            }
            if (r != AclResult.IGNORE) {
                return decided(source, r);
            }
        }
        return nomatch.stage();
    }

    private CompletableFuture<AclDecision> decided(Authorizer source, AclResult r) {
        health.answered(source.name(), "ACL");
        return r == AclResult.ALLOW ? AclDecision.ALLOW.stage() : AclDecision.DENY.stage();
    }

    private CompletableFuture<AclDecision> failed(Authorizer source, Throwable e) {
        health.failed(source.name(), "ACL", e == null ? new IllegalStateException("no answer (null)") : e);
        return AclDecision.FAILED.stage();
    }
}
