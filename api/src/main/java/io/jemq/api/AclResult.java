package io.jemq.api;

import java.util.concurrent.CompletableFuture;

/**
 * One {@link Authorizer}'s answer to one check, made by the plugin on whatever thread it answers on and read by the
 * broker's ACL chain on the client's event loop.
 */
public enum AclResult {
    /** This source allows it: the chain stops here and the answer is cached for the connection. */
    ALLOW,
    /** This source denies it: the chain stops here and the answer is cached for the connection. */
    DENY,
    /** This source has no rule for it: the next source decides, finally {@code mqtt.acl_nomatch}. */
    IGNORE;

    private final CompletableFuture<AclResult> completed = new SharedStage<>(this);

    /**
     * This answer as an already completed stage, shared: a synchronous source allocates nothing per check. It
     * cannot be completed, obtruded or cancelled.
     */
    public CompletableFuture<AclResult> stage() {
        return completed;
    }
}
