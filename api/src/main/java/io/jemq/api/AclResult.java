package io.jemq.api;

import java.util.concurrent.CompletableFuture;

/** One ACL source's answer: IGNORE hands the decision to the next source (finally {@code mqtt.acl_nomatch}). */
public enum AclResult {
    ALLOW, DENY, IGNORE;

    private final CompletableFuture<AclResult> completed = new SharedStage<>(this);

    /**
     * This answer as an already completed stage, shared: a synchronous source allocates nothing per check. It
     * cannot be completed, obtruded or cancelled.
     */
    public CompletableFuture<AclResult> stage() {
        return completed;
    }
}
