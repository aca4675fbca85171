package io.jemq.auth.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.jemq.api.SourceUnavailableException;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The directory as the plugin asks it, over UnboundID connection pools of {@code auth.ldap.pool} connections each
 * (as many as the plugin's executor has threads, so a thread never waits for a connection):
 * <ul>
 *   <li>a pool for users' binds (bind-as-user design): its connections take each CONNECT's bind in turn and are
 *       never used for anything else, so whose identity a connection last held does not matter;</li>
 *   <li>a pool bound as {@code auth.ldap.bind_dn} (or anonymous) for searches: the search design, and the
 *       bind-as-user design's "does this entry exist" question when a service account is configured.</li>
 * </ul>
 * Pools start empty and connect on demand, so a directory that is down at load does not stop the load; a connection
 * that died (server restarted, failover) is replaced and the operation retried once on a new one, so the first CONNECT
 * after a restart already works. What cannot be answered (no server reachable, a timeout, the service account refused)
 * throws {@link SourceUnavailableException}: the broker answers it with the plugin's failure policy and logs the outage
 * once. Methods block: call them on the plugin's executor only. Thread-safe.
 */
final class LdapDirectory implements AutoCloseable {
    /** Answers to a user's bind that mean "this user, not this password" (an account state included). */
    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.UNWILLING_TO_PERFORM, ResultCode.CONSTRAINT_VIOLATION,
            ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
    /** Answers that mean "no such entry": a DN that names nothing, or that the directory cannot even read. */
    private static final Set<ResultCode> NO_ENTRY = Set.of(ResultCode.NO_SUCH_OBJECT, ResultCode.INVALID_DN_SYNTAX);

    /** What a user's bind said. */
    enum BindOutcome { SUCCESS, NO_SUCH_ENTRY, REFUSED }

    private final String plugin;
    private final String where;
    private final LDAPConnectionPool userBinds;
    private final LDAPConnectionPool service;

    /**
     * @param userBinds whether the bind-as-user pool is needed
     * @param service   whether the service pool is needed
     */
    LdapDirectory(String plugin, LdapSettings settings, ServerSet servers, boolean userBinds, boolean service) {
        this.plugin = plugin;
        this.where = "ldap " + String.join(",", settings.servers().stream().map(Object::toString).toList());
        BindRequest account = settings.bindDn().map(dn -> (BindRequest) new SimpleBindRequest(dn,
                settings.bindPassword())).orElse(null);
        LDAPConnectionPool binds = null;
        try {
            binds = userBinds ? pool(servers, null, settings, "users") : null;
            this.service = service ? pool(servers, account, settings, "service") : null;
        } catch (LDAPException e) {
            if (binds != null) {
                binds.close();
            }
            // with no initial connection a pool only fails for a broken configuration
            throw new IllegalStateException(plugin + ": cannot make an LDAP connection pool: " + e.getMessage(), e);
        }
        this.userBinds = binds;
    }

    private LDAPConnectionPool pool(ServerSet servers, BindRequest account, LdapSettings settings, String role)
            throws LDAPException {
        // no connection at first and no exception for a server that is down: the first request connects
        LDAPConnectionPool pool = new LDAPConnectionPool(servers, account, 0, settings.poolSize(), null, false);
        pool.setConnectionPoolName(plugin + "-" + role);
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        pool.setMaxWaitTimeMillis(settings.timeout().toMillis());
        pool.setCreateIfNecessary(true);
        return pool;
    }

    boolean hasServiceAccount() {
        return service != null;
    }

    /** Binds as {@code dn} with {@code password} (never empty: that would be an anonymous bind). */
    BindOutcome bind(String dn, byte[] password) {
        try {
            userBinds.bind(new SimpleBindRequest(dn, password));
            return BindOutcome.SUCCESS;
        } catch (LDAPException e) {
            if (REFUSED.contains(e.getResultCode())) {
                return BindOutcome.REFUSED;
            }
            if (NO_ENTRY.contains(e.getResultCode())) {
                return BindOutcome.NO_SUCH_ENTRY;
            }
            throw unavailable("bind", e);
        }
    }

    /** Whether the service account sees an entry at {@code dn}. */
    boolean exists(String dn) {
        try {
            return service.getEntry(dn, "1.1") != null;
        } catch (LDAPException e) {
            if (NO_ENTRY.contains(e.getResultCode())) {
                return false;
            }
            throw unavailable("read", e);
        }
    }

    /**
     * The entries under {@code base} (the whole subtree, EMQ's default scope) that match {@code filter}, with
     * {@code attribute}; empty when {@code base} itself does not exist.
     */
    Optional<List<SearchResultEntry>> search(String base, String filter, String attribute) {
        try {
            SearchRequest request = new SearchRequest(base, SearchScope.SUB, filter, attribute);
            request.setSizeLimit(2);                               // more than one is an answer already
            return Optional.of(service.search(request).getSearchEntries());
        } catch (LDAPException e) {
            if (NO_ENTRY.contains(e.getResultCode())) {
                return Optional.empty();
            }
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED
                    && e instanceof LDAPSearchException s) {
                return Optional.of(s.getSearchEntries());
            }
            throw unavailable("search", e);
        }
    }

    /** "ldap 10.0.0.5:389: search failed: connect error (java.net.ConnectException: Connection refused)". */
    private SourceUnavailableException unavailable(String operation, LDAPException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root == e ? e.getDiagnosticMessage() : root.toString();
        if (detail != null && detail.length() > 200) {
            detail = detail.substring(0, 200) + "...";
        }
        return new SourceUnavailableException(plugin, where + ": " + operation + " failed: "
                + e.getResultCode().getName() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
    }

    @Override
    public void close() {
        if (userBinds != null) {
            userBinds.close();
        }
        if (service != null) {
            service.close();
        }
    }
}
