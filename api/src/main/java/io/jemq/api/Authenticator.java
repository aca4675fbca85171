package io.jemq.api;

import java.util.concurrent.CompletionStage;

/**
 * One authentication source, such as a plugin's user table. A plugin hands its authenticators to the broker through
 * {@link Plugin#authenticators()}; the broker's authentication chain asks them at every CONNECT, the most recently
 * loaded plugin's first, until one answers ALLOW or DENY.
 *
 * <p>Threads: {@link #authenticate} is called on the connecting client's event loop, for many clients at once. It
 * must return at once and never block: a source that waits (JDBC, LDAP) does so on
 * {@link PluginContext#blockingExecutor()} and returns the stage that work completes; an asynchronous client (Redis,
 * HTTP) returns its own future. The stage may complete on any thread; the broker brings the answer back to the
 * client's loop. Meanwhile that one client waits (its connection reads nothing), nobody else does.
 *
 * <p>The answers ({@link AuthResult}):
 * <ul>
 *   <li>ALLOW: the client is in (CONNACK 0), a superuser when {@code superuser} is set: every ACL check of this
 *       connection is skipped, nothing else is.</li>
 *   <li>DENY: this source knows the client and refuses it, e.g. a wrong or missing password: CONNACK 4 (3.1.1) /
 *       0x86 (5.0); the reason is logged, never sent.</li>
 *   <li>IGNORE: this source does not know the client (no row, no key, no username): the next source decides, and
 *       when all ignore, {@code mqtt.allow_anonymous} (refused: CONNACK 5 / 0x87).</li>
 *   <li>A failed stage, an exception thrown, a null, or no answer within {@code mqtt.auth_timeout}: an outage,
 *       answered by the plugin's {@link FailurePolicy} (by default CONNACK 3 / 0x88, "server unavailable"). Fail with
 *       {@link SourceUnavailableException} to say plainly what is out; do not turn an outage into DENY or IGNORE.</li>
 * </ul>
 */
public interface Authenticator {
    /** The source's name in logs, metrics and explanations: usually the plugin's, {@code emq_auth_mysql}. */
    String name();

    /**
     * @param client   who is connecting, after {@code peer_cert_as_username} replaced the username
     * @param password the CONNECT's password as sent, or null when it had none; do not keep it
     * @return the answer, or an already completed stage for a source that answers at once
     *         ({@link AuthResult#IGNORE_STAGE})
     */
    CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password);
}
