package io.jemq.auth.http;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;
import io.jemq.auth.http.HttpRequestSpec.Kind;
import io.jemq.auth.http.RequestCounters.Outcome;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publish and subscribe checks: the cache first (allows only, {@code auth.http.acl_cache_ttl}), then a super_req
 * asked per check when its parameters use %A or %t (EMQX Edge: an allow grants this operation, skipping acl_req),
 * then acl_req (allow, deny, or {@code ignore}: the next source decides). With only such a super_req, its non-allow
 * denies (EMQX Edge). An allow from either is cached; a deny, an ignore and a failure never are. A request that
 * fails fails the stage, and the broker's failure policy denies (never cached there either).
 *
 * <p>Called on the client's event loop: a cache hit answers at once with the shared ALLOW stage; otherwise it returns
 * the HTTP client's future. Never blocks.
 */
final class HttpAuthorizer implements Authorizer {
    private final Supplier<HttpAuthRuntime> runtime;
    private final RequestCounters counters;

    HttpAuthorizer(Supplier<HttpAuthRuntime> runtime, RequestCounters counters) {
        this.runtime = runtime;
        this.counters = counters;
    }

    @Override
    public String name() {
        return HttpAuthPluginFactory.NAME;
    }

    /** The plugin's own cache (allows for acl_cache_ttl, denies never) is the only one: EMQX Edge's policy. */
    @Override
    public boolean brokerMayCache() {
        return false;
    }

    @Override
    public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
        return answer(client, access, topic, null);
    }

    /** The same requests as {@link #check}; a cached allow is reported, and nothing is put in the cache. */
    @Override
    public CompletionStage<AclResult> explain(ClientInfo client, Access access, String topic, Consumer<String> note) {
        return answer(client, access, topic, note);
    }

    /** @param note null for a real check (which fills the cache); an explanation's notes otherwise */
    private CompletionStage<AclResult> answer(ClientInfo client, Access access, String topic, Consumer<String> note) {
        HttpAuthRuntime rt = runtime.get();
        HttpRequestSpec superReq = rt.settings.superPerCheck();
        HttpRequestSpec acl = rt.settings.aclAsked();
        if (superReq == null && acl == null) {
            if (note != null) {
                note.accept("neither acl_req nor a per-check super_req is enabled");
            }
            return AclResult.IGNORE.stage();
        }
        AclKey key = rt.allowed == null ? null : AclKey.of(client, access, topic);
        if (key != null && rt.allowed.getIfPresent(key) != null) {
            if (note != null) {
                note.accept("an allow from the plugin's cache (auth.http.acl_cache_ttl = "
                        + Durations.format(rt.settings.aclCacheTtl()) + "): no request sent");
            } else {
                counters.cacheHit();
            }
            return AclResult.ALLOW.stage();
        }
        if (note != null) {
            note.accept((superReq == null ? "" : "super_req " + superReq.url() + " asked first; ")
                    + (acl == null ? "" : "acl_req " + acl.method() + " " + acl.url()));
        }
        PlaceholderValues values = PlaceholderValues.of(client).withCheck(access, topic);
        CompletableFuture<AclResult> answer = superReq == null ? askAcl(rt, acl, values)
                : rt.client.send(superReq, values).thenCompose(a -> {
                    counters.count(Kind.SUPER_REQ, a.allows() ? Outcome.ALLOW : Outcome.DENY);
                    return a.allows() ? AclResult.ALLOW.stage()
                            : acl == null ? AclResult.DENY.stage() : askAcl(rt, acl, values);
                });
        if (key == null || note != null) {
            return answer;
        }
        return answer.thenApply(r -> {
            if (r == AclResult.ALLOW) {
                rt.allowed.put(key, Boolean.TRUE);
            }
            return r;
        });
    }

    private CompletableFuture<AclResult> askAcl(HttpAuthRuntime rt, HttpRequestSpec acl, PlaceholderValues values) {
        return rt.client.send(acl, values).thenApply(a -> {
            counters.count(Kind.ACL_REQ, a);
            return switch (a.decision()) {
                case ALLOW -> AclResult.ALLOW;
                case DENY -> AclResult.DENY;
                case IGNORE -> AclResult.IGNORE;
            };
        });
    }
}
