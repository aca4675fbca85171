package io.jemq.access;

import io.jemq.api.ClientInfo;
import io.jemq.config.AccessSettings;
import io.jemq.sys.Counters;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The access layer as the protocol sees it: the authentication chain for CONNECT, and per connection a
 * {@link ClientAcl} for PUBLISH, SUBSCRIBE and wills. Built once by the broker.
 */
public final class AccessControl {
    private final AccessSettings settings;
    private final AuthChain auth;
    private final AclChain acl;
    private final Counters counters;

    public AccessControl(AccessSettings settings, boolean allowAnonymous, Counters counters) {
        this.settings = settings;
        this.counters = counters;
        this.auth = new AuthChain(allowAnonymous, settings.authTimeout(), counters);
        this.acl = new AclChain(settings.aclNomatch(), settings.authTimeout(),
                new AclFile(settings.aclFile(), settings.aclFileRequired()));
    }

    public AuthChain auth() {
        return auth;
    }

    public AclChain acl() {
        return acl;
    }

    public AccessSettings settings() {
        return settings;
    }

    /** Whether a denied PUBLISH closes the connection ({@code mqtt.acl_deny_action = disconnect}). */
    public boolean disconnectOnDeny() {
        return settings.aclDenyAction() == AccessSettings.DenyAction.DISCONNECT;
    }

    /**
     * The ACL of one authenticated connection.
     *
     * @param superuser as decided at CONNECT by the source that accepted
     * @param loop      the connection's event loop: asynchronous answers come back there
     */
    public ClientAcl forClient(ClientInfo client, boolean superuser, Executor loop) {
        AclCache cache = settings.aclCacheEnabled() && !superuser
                ? new AclCache(settings.aclCacheMaxSize(), nanos(settings.aclCacheTtl()), acl.generation()) : null;
        return new ClientAcl(acl, client, superuser, cache, counters, loop);
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
