package io.jemq.auth.ldap;

import io.jemq.api.Authenticator;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Plugin;
import io.jemq.api.Template;

import java.util.List;

/**
 * The loaded {@code emq_auth_ldap}: one authenticator (bind as the user, or search) and the connection pools it uses.
 * No authorizer: EMQ 2.x had no ACL from LDAP (it came in EMQ X 3.0). Made by {@link LdapPluginFactory} on the loading
 * thread; {@link #close} runs on the unloading thread after the broker drained the executor.
 */
final class LdapPlugin implements Plugin {
    private final Authenticator authenticator;
    private final LdapDirectory directory;

    LdapPlugin(Authenticator authenticator, LdapDirectory directory) {
        this.authenticator = authenticator;
        this.directory = directory;
    }

    @Override
    public List<Authenticator> authenticators() {
        return List.of(authenticator);
    }

    @Override
    public void close() {
        directory.close();
    }

    /**
     * Whether a template needs a value the client does not have (no username, or an empty one): such a client is not
     * this directory's to decide, so the source answers IGNORE before asking anything.
     */
    static boolean anyMissing(PlaceholderValues values, Template... templates) {
        for (Template t : templates) {
            for (String value : t.parameters(values)) {
                if (value == null || value.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
