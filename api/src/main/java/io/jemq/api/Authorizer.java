package io.jemq.api;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One ACL source: may this client publish to, or subscribe to, this topic? A plugin hands its authorizers to the
 * broker through {@link Plugin#authorizers()}; the broker's ACL chain asks them, the most recently loaded plugin's
 * first and {@code etc/acl.conf} last, for each PUBLISH topic, each SUBSCRIBE filter and each will, unless the
 * connection's ACL cache already has the answer. Superusers are never asked.
 *
 * <p>Threads: {@link #check} is called on the client's event loop and must never block it. A source that answers at
 * once returns {@link AclResult#stage()}, so the check stays on the fast path with nothing allocated; one that must
 * wait returns a stage completed later on any thread, and that client's packets wait, in order, until it is back.
 *
 * <p>The answers ({@link AclResult}): ALLOW and DENY decide and are cached per connection
 * ({@code mqtt.acl_cache.*}); IGNORE means this source has no rule for the client and topic, so the next source
 * decides, and when all ignore, {@code mqtt.acl_nomatch}. A failed stage, an exception, a null or no answer within
 * {@code mqtt.auth_timeout} is an outage, answered by the plugin's {@link FailurePolicy} (by default DENY) and never
 * cached. A denied PUBLISH is dropped (3.1.1 still gets its acknowledgement, 5.0 gets 0x87), a denied filter gets
 * 0x80 / 0x87 alone, a denied will is dropped.
 */
public interface Authorizer {
    /** The source's name in logs and explanations: usually the plugin's, {@code emq_auth_mysql}. */
    String name();

    /**
     * @param client who asks, as authenticated at CONNECT
     * @param access PUBLISH for a PUBLISH or a will, SUBSCRIBE for a SUBSCRIBE filter
     * @param topic  a topic name for PUBLISH, the client's filter (wildcards as written, without
     *               {@code $share/<group>/}) for SUBSCRIBE; as the client wrote it, before any mountpoint
     */
    CompletionStage<AclResult> check(ClientInfo client, Access access, String topic);

    /**
     * The answer {@link #check} would give now, asked for an operator's explanation ({@code GET /api/v2/acl/explain},
     * {@code ctl acl explain}): it must change no cache of the source's own, so that explaining never changes what
     * the next real check answers. {@code note} takes short sentences saying why (e.g. "an allow from the plugin's
     * cache"), shown beside the answer. Called on a management thread or an event loop; never block. The default
     * asks {@link #check}: right for a source that keeps no cache.
     */
    default CompletionStage<AclResult> explain(ClientInfo client, Access access, String topic, Consumer<String> note) {
        return check(client, access, topic);
    }

    /**
     * Whether the broker's per-connection ACL cache ({@code mqtt.acl_cache.*}) may keep this source's answers. A
     * source with a cache policy of its own says false, so that policy is the only one: EMQX Edge's HTTP
     * authorization keeps allows for its {@code acl_cache_ttl} and asks again for every deny.
     */
    default boolean brokerMayCache() {
        return true;
    }
}
