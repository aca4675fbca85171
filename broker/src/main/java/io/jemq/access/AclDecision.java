package io.jemq.access;

import io.jemq.api.SharedStage;
import java.util.concurrent.CompletableFuture;

/**
 * The ACL chain's final answer for one check. FAILED is a deny because a source failed or timed out under the
 * failure policy DENY; ALLOW_AFTER_FAILURE and DENY_AFTER_FAILURE are what the other sources (or
 * {@code mqtt.acl_nomatch}) decided after a failing source was passed over under the policy IGNORE. None of those
 * three is cached, so the failing source is asked again at the next check. ALLOW_UNCACHED and DENY_UNCACHED were
 * reached through a source that keeps its own cache policy ({@link io.jemq.api.Authorizer#brokerMayCache()} false:
 * it decided, or it passed the check on): decided, but the connection's cache does not keep them.
 */
public enum AclDecision {
    ALLOW, DENY, FAILED, ALLOW_AFTER_FAILURE, DENY_AFTER_FAILURE, ALLOW_UNCACHED, DENY_UNCACHED;

    private final CompletableFuture<AclDecision> completed = new SharedStage<>(this);

    public boolean allowed() {
        return this == ALLOW || this == ALLOW_AFTER_FAILURE || this == ALLOW_UNCACHED;
    }

    /** Whether the answer may be cached: only when no source failed on the way to it and its source allows it. */
    public boolean cacheable() {
        return this == ALLOW || this == DENY;
    }

    /** This answer when a source failed on the way to it. */
    AclDecision afterFailure() {
        return switch (this) {
            case ALLOW, ALLOW_AFTER_FAILURE, ALLOW_UNCACHED -> ALLOW_AFTER_FAILURE;
            case DENY, DENY_AFTER_FAILURE, DENY_UNCACHED -> DENY_AFTER_FAILURE;
            case FAILED -> FAILED;
        };
    }

    /** This answer from a source whose answers the broker must not cache. */
    AclDecision uncached() {
        return switch (this) {
            case ALLOW -> ALLOW_UNCACHED;
            case DENY -> DENY_UNCACHED;
            default -> this;
        };
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
