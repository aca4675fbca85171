package io.jemq.access;

import io.jemq.api.SharedStage;
import java.util.concurrent.CompletableFuture;

/**
 * The ACL chain's final answer for one check. FAILED is a deny because a source failed or timed out: never cached,
 * so the client is let in again as soon as the source answers.
 */
public enum AclDecision {
    ALLOW, DENY, FAILED;

    private final CompletableFuture<AclDecision> completed = new SharedStage<>(this);

    public boolean allowed() {
        return this == ALLOW;
    }

    /** The decision of a completed check; FAILED when it failed or is not complete. */
    public static AclDecision of(CompletableFuture<AclDecision> check) {
        return check.isDone() && !check.isCompletedExceptionally() ? check.getNow(FAILED) : FAILED;
    }

    /** Shared completed stage: the synchronous path allocates nothing. It cannot be completed or obtruded. */
    public CompletableFuture<AclDecision> stage() {
        return completed;
    }
}
