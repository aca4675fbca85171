package io.jemq.auth.ldap;

import com.unboundid.ldap.sdk.SearchResultEntry;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.PasswordHash;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;
import io.jemq.api.PluginContext;
import io.jemq.api.Template;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The search design (EMQ 2.3): as the service account ({@code auth.ldap.bind_dn}, or anonymous), search the subtree
 * at {@code auth.ldap.auth_dn} with {@code auth.ldap.filter} ({@code (username=%u)} by default, as EMQ did), read the
 * entry's password attribute ({@code password} by default, as EMQ did; {@code userPassword} for most trees) and compare
 * it with the CONNECT's password ({@link LdapPasswords}). Placeholders in the base DN are escaped for a DN
 * (RFC 4514), those in the filter for a filter (RFC 4515), so {@code *)(uid=*} matches only a user of that name. Called
 * on the client's event loop: it renders there, the search and the comparison (bcrypt is slow) run on the executor.
 *
 * <p>Answers: no username → IGNORE. No entry, or a base DN that does not exist → IGNORE (EMQ 2.3 rejected the
 * latter). One entry and its password matches → ALLOW (never a superuser). One entry and a wrong or missing password,
 * an entry without the attribute, or more than one entry → DENY with the reason. An outage fails.
 */
final class SearchAuthenticator implements Authenticator {
    private final PluginContext context;
    private final Template base;
    private final Template filter;
    private final String attribute;
    private final PasswordHash hash;
    private final LdapDirectory directory;
    private final LdapCounters counters;

    SearchAuthenticator(PluginContext context, LdapSettings settings, LdapDirectory directory,
                        LdapCounters counters) {
        this.context = context;
        this.base = settings.authDn().orElseThrow();
        this.filter = settings.filter();
        this.attribute = settings.passwordAttribute();
        this.hash = settings.passwordHash();
        this.directory = directory;
        this.counters = counters;
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
        PlaceholderValues values = PlaceholderValues.of(client);
        if (LdapPlugin.anyMissing(values, base, filter)) {
            counters.ignore.increment();
            return AuthResult.IGNORE_STAGE;
        }
        String baseDn = base.render(values, Placeholders::escapeDnValue);
        String searchFilter = filter.render(values, Placeholders::escapeFilterValue);
        return context.callBlocking(() -> counters.count(check(baseDn, searchFilter, password)));
    }

    /** On a pool thread. */
    private AuthResult check(String baseDn, String searchFilter, byte[] password) {
        Optional<List<SearchResultEntry>> found = directory.search(baseDn, searchFilter, attribute);
        if (found.isEmpty() || found.get().isEmpty()) {
            return AuthResult.IGNORE;
        }
        if (found.get().size() > 1) {
            return AuthResult.deny("more than one entry under " + baseDn + " matches " + searchFilter);
        }
        SearchResultEntry entry = found.get().get(0);
        if (password == null || password.length == 0) {
            return AuthResult.deny("no password for " + entry.getDN());
        }
        byte[][] stored = entry.getAttributeValueByteArrays(attribute);
        if (stored == null || stored.length == 0) {
            return AuthResult.deny(entry.getDN() + " has no " + attribute + " the service account can read");
        }
        String unsupported = null;
        for (byte[] value : stored) {
            try {
                if (LdapPasswords.matches(password, value, hash)) {
                    return AuthResult.allow(false);
                }
            } catch (LdapPasswords.UnsupportedScheme e) {
                unsupported = e.getMessage();               // another value may still be one we can check
            }
        }
        if (unsupported != null) {
            return AuthResult.deny(unsupported + " for " + entry.getDN());
        }
        return AuthResult.deny("wrong password for " + entry.getDN());
    }
}
