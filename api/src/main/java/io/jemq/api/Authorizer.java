package io.jemq.api;

import java.util.concurrent.CompletionStage;

/**
 * One ACL source: may this client publish to, or subscribe to, this topic? Called on the client's event loop for
 * each check the per-connection cache cannot answer: never block it. A source that answers at once should return
 * {@link AclResult#stage()} so the check stays on the fast path. Answer IGNORE when this source has no rule for the
 * client and topic so the next source decides; a failed or timed-out stage counts as DENY and is never cached.
 * Superusers are never asked.
 */
public interface Authorizer {
    String name();

    /** @param topic a topic name for PUBLISH, the client's filter (wildcards as written) for SUBSCRIBE */
    CompletionStage<AclResult> check(ClientInfo client, Access access, String topic);
}
