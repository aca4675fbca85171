package io.jemq.auth.ldap;

import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;
import io.jemq.api.PluginContext;
import io.jemq.api.Template;

import java.util.concurrent.CompletionStage;

/**
 * The bind-as-user design (EMQ 2.0/2.1, the user guide's {@code auth.ldap.user_dn = uid=%u,ou=People,...}): the
 * username is escaped into the DN (RFC 4514) and the directory checks the password with a bind, whatever form
 * {@code userPassword} has. Called on the client's event loop: it only renders the DN there, the bind runs on the
 * plugin's executor.
 *
 * <p>Answers: no username → IGNORE. The bind succeeds → ALLOW (never a superuser: EMQ's LDAP had none). The directory
 * says there is no such entry → IGNORE. It refuses the password (or none was sent: an empty password would be an
 * anonymous bind, which succeeds) → DENY, except that with a service account ({@code auth.ldap.bind_dn}) an entry the
 * account cannot find is IGNORE: most directories answer "invalid credentials" for a DN that does not exist, so
 * without that account an unknown user and a wrong password look the same and both are DENY. An outage fails.
 */
final class UserBindAuthenticator implements Authenticator {
    private final PluginContext context;
    private final Template userDn;
    private final LdapDirectory directory;
    private final LdapCounters counters;

    UserBindAuthenticator(PluginContext context, Template userDn, LdapDirectory directory, LdapCounters counters) {
        this.context = context;
        this.userDn = userDn;
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
        if (LdapPlugin.anyMissing(values, userDn)) {
            counters.ignore.increment();
            return AuthResult.IGNORE_STAGE;
        }
        String dn = userDn.render(values, Placeholders::escapeDnValue);
        return context.callBlocking(() -> counters.count(check(dn, password)));
    }

    /** On a pool thread. */
    private AuthResult check(String dn, byte[] password) {
        if (password == null || password.length == 0) {
            return refused(dn, "no password");
        }
        return switch (directory.bind(dn, password)) {
            case SUCCESS -> AuthResult.allow(false);
            case NO_SUCH_ENTRY -> AuthResult.IGNORE;
            case REFUSED -> refused(dn, "the directory refused the password");
        };
    }

    private AuthResult refused(String dn, String why) {
        if (directory.hasServiceAccount() && !directory.exists(dn)) {
            return AuthResult.IGNORE;
        }
        return AuthResult.deny(why + " for " + dn);
    }
}
