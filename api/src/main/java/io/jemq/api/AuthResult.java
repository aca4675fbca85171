package io.jemq.api;

import java.util.concurrent.CompletableFuture;

/**
 * One {@link Authenticator}'s answer to one CONNECT, made by the plugin on whatever thread it answers on and read by
 * the broker's authentication chain; immutable. See {@link Authenticator} for what each decision does to the client.
 *
 * @param decision  ALLOW, DENY or IGNORE
 * @param superuser with ALLOW: the client skips every ACL check of this connection (and only those)
 * @param reason    with DENY: why, for the broker's log (never sent to the client); null otherwise
 */
public record AuthResult(Decision decision, boolean superuser, String reason) {
    /** ALLOW lets the client in, DENY refuses it (CONNACK 4 / 0x86), IGNORE passes it to the next source. */
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
