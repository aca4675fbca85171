package io.jemq.access;

import io.jemq.api.Authorizer;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import io.jemq.api.FailurePolicy;
import io.jemq.config.AccessSettings.Nomatch;
import io.jemq.sys.Alarms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the plugins' ACL sources (the most recently loaded first), then acl.conf; the first ALLOW or DENY decides;
 * when all ignore, {@code mqtt.acl_nomatch} does. A source that fails or does not answer within
 * {@code mqtt.auth_timeout} is answered by its plugin's {@link FailurePolicy}: DENY (the default) gives
 * {@link AclDecision#FAILED}, a deny, since with {@code acl_nomatch = allow} ignoring it would let everyone in during
 * an outage; IGNORE passes the check to the next source, and the answer it ends with is marked as reached after a
 * failure so it is not cached. Sources that answer at once keep the whole check synchronous.
 *
 * <p>Also owns the generation of every connection's ACL cache: {@link #clearCaches} makes all of them forget at
 * once, without touching a connection. Thread-safe; the source list is swapped whole.
 */
public final class AclChain {
    private final AclDecision nomatch;
    private final long timeoutMillis;
    private final AclFile internal;
    private final SourceHealth health = new SourceHealth("acl");
    private volatile Sources sources;
    private volatile long generation;

    /** The sources in the order asked and what each one's failure answers, swapped together. */
    private static final class Sources {
        final Authorizer[] list;
        final FailurePolicy[] onError;
        /**
         * The first source the broker may not cache ({@link Authorizer#brokerMayCache()}), or the list's length: a
         * decision reached at or after it passed through that source's answer, so it is not cached either.
         */
        final int firstUncached;

        Sources(Authorizer[] list, FailurePolicy[] onError) {
            this.list = list;
            this.onError = onError;
            int first = 0;
            while (first < list.length && list[first].brokerMayCache()) {
                first++;
            }
            this.firstUncached = first;
        }
    }

    public AclChain(Nomatch nomatch, Duration timeout, AclFile internal) {
        this.nomatch = nomatch == Nomatch.ALLOW ? AclDecision.ALLOW : AclDecision.DENY;
        this.timeoutMillis = timeout.toMillis();
        this.internal = internal;
        this.sources = new Sources(new Authorizer[]{internal}, new FailurePolicy[]{FailurePolicy.DENY});
    }

    /** @param pluginSources in the order they are asked; acl.conf is always asked after them; failures deny */
    /** Raises an alarm while a source is down (the broker calls this once, with its alarms). */
    public void reportOutagesTo(Alarms alarms) {
        health.reportTo(alarms);
    }

    public void setPluginSources(List<Authorizer> pluginSources) {
        setPluginSources(pluginSources, Collections.nCopies(pluginSources.size(), FailurePolicy.DENY));
    }

    /**
     * @param pluginSources in the order they are asked; acl.conf is always asked after them
     * @param onError       what a failure of the source at the same index answers
     */
    public void setPluginSources(List<Authorizer> pluginSources, List<FailurePolicy> onError) {
        if (pluginSources.size() != onError.size()) {
            throw new IllegalArgumentException(pluginSources.size() + " sources but " + onError.size() + " policies");
        }
        List<Authorizer> all = new ArrayList<>(pluginSources);
        all.add(internal);
        List<FailurePolicy> policies = new ArrayList<>(onError);
        policies.add(FailurePolicy.DENY);
        sources = new Sources(all.toArray(Authorizer[]::new), policies.toArray(FailurePolicy[]::new));
        clearCaches();
    }

    /** Every source in the order asked, acl.conf last. */
    public List<Authorizer> sources() {
        return List.of(sources.list);
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
        return ask(sources, 0, false, client, access, topic, null);
    }

    /**
     * Why {@link #check} answers as it does: the same walk over the same sources, each asked through
     * {@link Authorizer#explain} so that no cache changes, with every answer recorded. Called on any thread.
     */
    public CompletableFuture<AclExplanation> explain(ClientInfo client, Access access, String topic) {
        AclTrail trail = new AclTrail();
        String nomatchName = nomatch.allowed() ? "allow" : "deny";
        return ask(sources, 0, false, client, access, topic, trail).thenApply(d -> trail.finish(d, nomatchName));
    }

    /** @param afterFailure whether a source before {@code from} failed and was passed over (policy IGNORE) */
    private CompletableFuture<AclDecision> ask(Sources sources, int from, boolean afterFailure, ClientInfo c,
                                               Access access, String topic, AclTrail trail) {
        Authorizer[] list = sources.list;
        for (int i = from; i < list.length; i++) {
            Authorizer source = list[i];
            CompletableFuture<AclResult> answer;
            Throwable failure = null;
            try {
                answer = (trail == null ? source.check(c, access, topic)
                        : source.explain(c, access, topic, trail.asking(source))).toCompletableFuture();
            } catch (RuntimeException e) {
                answer = null;
                failure = e;
            }
            if (answer != null && !answer.isDone()) {
                int at = i;
                boolean failedBefore = afterFailure;
                // on a copy: the source's future may be shared with other callers (a cache entry being filled),
                // and this caller's timeout must not fail it for them
                return answer.copy().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                        .handle((r, e) -> e != null || r == null ? failed(sources, at, e, c, access, topic, trail)
                                : answered(trail, source, r, c, access, topic) == AclResult.IGNORE
                                ? ask(sources, at + 1, failedBefore, c, access, topic, trail)
                                : decided(sources, at, r, failedBefore, trail))
                        .thenCompose(f -> f);
            }
            if (answer != null && answer.isCompletedExceptionally()) {
                failure = answer.handle((r, e) -> e).join();
            }
            AclResult r = answer == null || failure != null ? null : answer.join();
            if (r == null) {
                if (sources.onError[i] != FailurePolicy.IGNORE) {
                    return failed(sources, i, failure, c, access, topic, trail);
                }
                if (trail != null) {
                    trail.failed(failure, false);
                }
                passedOver(source, failure, trail);
                afterFailure = true;
            } else if (answered(trail, source, r, c, access, topic) != AclResult.IGNORE) {
                return decided(sources, i, r, afterFailure, trail);
            }
        }
        AclDecision d = sources.firstUncached < list.length ? nomatch.uncached() : nomatch;
        return afterFailure ? d.afterFailure().stage() : d.stage();
    }

    /** Records {@code r} in the trail, if any (with the acl.conf rule that decided); returns it. */
    private AclResult answered(AclTrail trail, Authorizer source, AclResult r, ClientInfo c, Access access,
                               String topic) {
        if (trail != null) {
            trail.answered(r);
            if (source == internal && r != AclResult.IGNORE) {
                internal.decidingRule(c, access, topic).ifPresent(trail::note);
            } else if (source == internal) {
                trail.note("no rule of " + internal.name() + " matches");
            }
        }
        return r;
    }

    /** The source at {@code i} decided {@code r}. */
    private CompletableFuture<AclDecision> decided(Sources sources, int i, AclResult r, boolean afterFailure,
                                                   AclTrail trail) {
        if (trail == null) {                   // an explanation leaves the sources' health (and its alarms) alone
            health.answered(sources.list[i].name(), "ACL");
        }
        AclDecision d = r == AclResult.ALLOW ? AclDecision.ALLOW : AclDecision.DENY;
        if (sources.firstUncached <= i) {
            d = d.uncached();
        }
        return afterFailure ? d.afterFailure().stage() : d.stage();
    }

    /** The source at {@code i} failed: FAILED, or under IGNORE the rest of the chain, marked as after a failure. */
    private CompletableFuture<AclDecision> failed(Sources sources, int i, Throwable e, ClientInfo c, Access access,
                                                  String topic, AclTrail trail) {
        boolean ignore = sources.onError[i] == FailurePolicy.IGNORE;
        if (trail != null) {
            trail.failed(e, !ignore);
        }
        if (ignore) {
            passedOver(sources.list[i], e, trail);
            return ask(sources, i + 1, true, c, access, topic, trail);
        }
        if (trail == null) {
            health.failed(sources.list[i].name(), "ACL", why(e), FailurePolicy.DENY);
        }
        return AclDecision.FAILED.stage();
    }

    private void passedOver(Authorizer source, Throwable e, AclTrail trail) {
        if (trail == null) {
            health.failed(source.name(), "ACL", why(e), FailurePolicy.IGNORE);
        }
    }

    private static Throwable why(Throwable e) {
        return e == null ? new IllegalStateException("no answer (null)") : e;
    }
}
