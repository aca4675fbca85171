package io.jemq.api;

import java.util.concurrent.CompletableFuture;

/** One authentication source's answer. IGNORE hands the decision to the next source (finally allow_anonymous). */
public record AuthResult(Decision decision, boolean superuser, String reason) {
    public enum Decision { ALLOW, DENY, IGNORE }

    public static final AuthResult IGNORE = new AuthResult(Decision.IGNORE, false, null);
    /** IGNORE as a completed stage, for sources that answer at once; shared, so it cannot be completed again. */
    public static final CompletableFuture<AuthResult> IGNORE_STAGE = new SharedStage<>(IGNORE);

    public static AuthResult allow(boolean superuser) {
        return new AuthResult(Decision.ALLOW, superuser, null);
    }

    public static AuthResult deny(String reason) {
        return new AuthResult(Decision.DENY, false, reason);
    }
}
