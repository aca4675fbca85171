package io.jemq.access;

import io.jemq.api.AuthResult;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the access layer: per authentication source its successes (allow), failures (deny), ignores and
 * errors (unreachable or timed out); ACL decisions; ACL cache hits and misses. Incremented from every event loop.
 */
public final class AccessMetrics {
    private static final String[] OUTCOMES = {"success", "failure", "ignore", "error"};

    private final ConcurrentHashMap<String, LongAdder[]> auth = new ConcurrentHashMap<>();
    public final LongAdder aclAllow = new LongAdder();
    public final LongAdder aclDeny = new LongAdder();
    public final LongAdder aclCacheHits = new LongAdder();
    public final LongAdder aclCacheMisses = new LongAdder();
    /** Connections accepted because no source decided and mqtt.allow_anonymous is true. */
    public final LongAdder authAnonymous = new LongAdder();

    void authResult(String source, AuthResult.Decision decision) {
        counters(source)[decision.ordinal()].increment();
    }

    void authError(String source) {
        counters(source)[3].increment();
    }

    /** One source's count: outcome is success, failure, ignore or error. */
    public long auth(String source, String outcome) {
        LongAdder[] c = auth.get(source);
        for (int i = 0; c != null && i < OUTCOMES.length; i++) {
            if (OUTCOMES[i].equals(outcome)) {
                return c[i].sum();
            }
        }
        return 0;
    }

    private LongAdder[] counters(String source) {
        return auth.computeIfAbsent(source, s -> new LongAdder[]{new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()});
    }

    /** A sorted snapshot: {@code auth/emq_auth_username/success → 3}, {@code acl/allow}, {@code acl/cache/hit}... */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        auth.forEach((source, c) -> {
            for (int i = 0; i < OUTCOMES.length; i++) {
                m.put("auth/" + source + "/" + OUTCOMES[i], c[i].sum());
            }
        });
        m.put("auth/anonymous", authAnonymous.sum());
        m.put("acl/allow", aclAllow.sum());
        m.put("acl/deny", aclDeny.sum());
        m.put("acl/cache/hit", aclCacheHits.sum());
        m.put("acl/cache/miss", aclCacheMisses.sum());
        return m;
    }
}
