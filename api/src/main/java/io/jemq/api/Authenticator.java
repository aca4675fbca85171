package io.jemq.api;

import java.util.concurrent.CompletionStage;

/**
 * One authentication source. Called from an event loop: never block it. Answer IGNORE when this source does not
 * know the client (no row, no key) so the next source decides.
 */
public interface Authenticator {
    String name();

    CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password);
}
