package io.jemq.access;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;
import io.jemq.routing.TopicFilter;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The ACL as one connection sees it: superusers pass every check; others are answered from the connection's cache
 * or the chain, and the chain's answers (other than failures) are cached. Touched only on the connection's event
 * loop. A cache hit and a synchronous chain answer both return a shared completed stage.
 */
public final class ClientAcl {
    private final AclChain chain;
    private final ClientInfo client;
    private final boolean superuser;
    private final AclCache cache;
    private final Counters counters;
    private final Executor loop;

    ClientAcl(AclChain chain, ClientInfo client, boolean superuser, AclCache cache, Counters counters,
              Executor loop) {
        this.loop = loop;
        this.chain = chain;
        this.client = client;
        this.superuser = superuser;
        this.cache = cache;
        this.counters = counters;
    }

    public boolean superuser() {
        return superuser;
    }

    public ClientInfo client() {
        return client;
    }

    /**
     * @param topic the topic name of a PUBLISH or will, or the filter of a SUBSCRIBE (without {@code $share/g/})
     * @return completed at once on a cache hit or a synchronous answer; otherwise completes on the event loop
     */
    public CompletableFuture<AclDecision> check(Access access, String topic) {
        if (superuser) {
            return AclDecision.ALLOW.stage();
        }
        long now = 0;
        if (cache != null) {
            now = System.nanoTime();
            AclDecision hit = cache.get(access, topic, now, chain.generation());
            if (hit != null) {
                counters.bump(Counter.ACL_CACHE_HIT);
                return count(hit).stage();
            }
            counters.bump(Counter.ACL_CACHE_MISS);
        }
        CompletableFuture<AclDecision> answer = chain.check(client, access, topic);
        if (answer.isDone()) {
            AclDecision d = answer.join();
            remember(access, topic, d, now);
            return count(d).stage();
        }
        long askedAt = now;
        return answer.thenApplyAsync(d -> {
            remember(access, topic, d, askedAt);
            return count(d);
        }, loop);
    }

    /**
     * Why {@link #check} would answer as it does now, changing nothing: a superuser passes; a cached answer decides
     * (the chain's walk is shown beside it); otherwise the chain's walk decides. On the connection's event loop.
     */
    public CompletableFuture<AclExplanation> explain(Access access, String topic) {
        if (superuser) {
            return CompletableFuture.completedFuture(new AclExplanation(true, "superuser",
                    "the client authenticated as a superuser, who skips every ACL check", List.of()));
        }
        AclDecision hit = cache == null ? null : cache.peek(access, topic, System.nanoTime(), chain.generation());
        CompletableFuture<AclExplanation> walk = chain.explain(client, access, topic);
        if (hit == null) {
            return walk;
        }
        return walk.thenApply(w -> new AclExplanation(hit.allowed(), "cache", "the connection's ACL cache "
                + "(mqtt.acl_cache_ttl) holds " + (hit.allowed() ? "an allow" : "a deny") + " for it; the sources, "
                + "asked now, would answer as listed (" + (w.allowed() ? "allow" : "deny") + " by " + w.decidedBy()
                + ")", w.steps()));
    }

    /**
     * Checks each filter of a SUBSCRIBE: a shared subscription is checked by its topic filter (without
     * {@code $share/<group>/}); a malformed filter gets ALLOW here, since the protocol refuses it anyway.
     */
    public List<CompletableFuture<AclDecision>> checkFilters(List<String> rawFilters) {
        List<CompletableFuture<AclDecision>> checks = new ArrayList<>(rawFilters.size());
        for (String raw : rawFilters) {
            String filter;
            try {
                filter = TopicFilter.parse(raw).filter();
            } catch (IllegalArgumentException e) {
                checks.add(AclDecision.ALLOW.stage());
                continue;
            }
            checks.add(check(Access.SUBSCRIBE, filter));
        }
        return checks;
    }

    /** Null when every check is complete; otherwise a stage that completes when they all are. */
    public static CompletableFuture<Void> whenAllDone(List<CompletableFuture<AclDecision>> checks) {
        List<CompletableFuture<AclDecision>> open = null;
        for (CompletableFuture<AclDecision> c : checks) {
            if (!c.isDone()) {
                if (open == null) {
                    open = new ArrayList<>();
                }
                open.add(c);
            }
        }
        return open == null ? null : CompletableFuture.allOf(open.toArray(CompletableFuture[]::new));
    }

    private void remember(Access access, String topic, AclDecision d, long now) {
        if (cache != null && d.cacheable()) {
            cache.put(access, topic, d, now);
        }
    }

    private AclDecision count(AclDecision d) {
        counters.bump(d.allowed() ? Counter.ACL_ALLOW : Counter.ACL_DENY);
        return d;
    }

    /** Forgets every cached answer: the next check of each topic asks the chain again (management's clean cache). */
    public void clearCache() {
        if (cache != null) {
            cache.clear();
        }
    }

    /** Cached topics right now (tests, the management API). */
    public int cachedTopics() {
        return cache == null ? 0 : cache.size();
    }
}
