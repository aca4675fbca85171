package io.jemq.auth.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import io.jemq.api.ConfigException;
import io.jemq.api.PasswordHash;
import io.jemq.api.Placeholder;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;
import io.jemq.api.Settings;
import io.jemq.api.Template;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code etc/plugins/emq_auth_ldap.conf}, read and checked once by {@link LdapPluginFactory#create} on the loading
 * thread; immutable afterwards. Two designs, chosen by which key is set:
 * <ul>
 *   <li>{@code auth.ldap.user_dn} (EMQ 2.0/2.1, the user guide): bind as the user's DN with the CONNECT's password.
 *       {@code bind_dn} is optional here: with it, a failed bind is told apart into "no such user" (IGNORE) and
 *       "wrong password" (DENY).</li>
 *   <li>{@code auth.ldap.auth_dn} (EMQ 2.3): bind as {@code bind_dn} (or anonymously), search under {@code auth_dn}
 *       with {@code filter} and compare the entry's password attribute with {@code password_hash}.</li>
 * </ul>
 * Every DN and filter template is checked here with sample values, so a typo fails the load naming file, line and key,
 * not each CONNECT.
 */
record LdapSettings(List<Server> servers, Duration timeout, int poolSize, Tls tls, Optional<Template> userDn,
                    Optional<String> bindDn, String bindPassword, Optional<Template> authDn, Template filter,
                    String passwordAttribute, PasswordHash passwordHash) {
    static final String PREFIX = "auth.ldap.";
    private static final PlaceholderValues SAMPLE = sampleValues();
    /** What a DN or filter may hold: what CONNECT knows, but not the password (it must never reach a DN or a log). */
    private static final Set<Placeholder> AVAILABLE = withoutPassword();

    /** One entry of {@code auth.ldap.servers}. */
    record Server(String host, int port) {
        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /**
     * {@code auth.ldap.ssl} and its options, as EMQ named them ({@code fail_if_no_peer_cert} is a server's option:
     * read and ignored).
     *
     * @param verifyPeer check the server's chain and host name ({@code ssl.verify = verify_peer}, the default)
     */
    record Tls(boolean enabled, Optional<Path> cacertfile, Optional<Path> certfile, Optional<Path> keyfile,
               boolean verifyPeer) {
    }

    /** Whether the search design is configured (else the bind-as-user design). */
    boolean searches() {
        return authDn.isPresent();
    }

    static LdapSettings from(String plugin, Settings conf) {
        Optional<Template> userDn = dnTemplate(conf, "user_dn");
        Optional<Template> authDn = dnTemplate(conf, "auth_dn");
        if (userDn.isPresent() && userDn.get().isConstant()) {
            // every client would bind as that one entry: whoever knows its password would be anyone
            throw conf.invalid(PREFIX + "user_dn", "a DN template naming the client, such as "
                    + "uid=%u,ou=People,dc=example,dc=com");
        }
        if (userDn.isPresent() && authDn.isPresent()) {
            throw conf.invalid(PREFIX + "auth_dn", "either auth.ldap.user_dn (bind as the user) or auth.ldap.auth_dn"
                    + " (search as auth.ldap.bind_dn), not both; comment one out");
        }
        if (userDn.isEmpty() && authDn.isEmpty()) {
            throw new ConfigException(plugin + ": set auth.ldap.user_dn (bind as the user, such as"
                    + " uid=%u,ou=People,dc=example,dc=com) or auth.ldap.auth_dn (search as auth.ldap.bind_dn)");
        }
        Optional<String> bindDn = conf.find(PREFIX + "bind_dn").map(String::strip).filter(s -> !s.isEmpty());
        bindDn.ifPresent(dn -> checkDn(conf, "bind_dn", dn));
        PasswordHash hash = conf.parsed(PREFIX + "password_hash", PasswordHash.parse("sha256"),
                "plain, md5, sha, sha256, sha512 or bcrypt (LDAP entries have no salt attribute)",
                LdapSettings::unsaltedHash);
        return new LdapSettings(servers(plugin, conf), conf.duration(PREFIX + "timeout", "5s", Duration.ofMillis(10),
                Duration.ofMinutes(5)), conf.integer(PREFIX + "pool", 8, 1, 1024), tls(conf), userDn, bindDn,
                conf.string(PREFIX + "bind_password", ""), authDn, filter(conf, authDn),
                conf.string(PREFIX + "password.attributetype", "password").strip(), hash);
    }

    private static List<Server> servers(String plugin, Settings conf) {
        String key = PREFIX + "servers";
        int port = conf.integer(PREFIX + "port", 389, 1, 65535);
        String text = conf.find(key).map(String::strip).orElse("");
        if (text.isEmpty()) {
            throw conf.contains(key) ? conf.invalid(key, "the LDAP servers, such as 127.0.0.1 or ldap1,ldap2:10389")
                    : new ConfigException(plugin + ": auth.ldap.servers: expected the LDAP servers, such as "
                    + "127.0.0.1 or ldap1,ldap2:10389");
        }
        List<Server> out = new ArrayList<>();
        for (String item : text.split(",")) {
            Server s = server(item.strip(), port);
            if (s == null) {
                throw conf.invalid(key, "host or host:port entries separated by commas, such as ldap1,ldap2:10389");
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    /** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address; null when it is none of these. */
    private static Server server(String item, int defaultPort) {
        if (item.isEmpty() || item.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        String host = item;
        String port = null;
        if (item.startsWith("[")) {
            int close = item.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return null;
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else if (item.indexOf(':') == item.lastIndexOf(':') && item.indexOf(':') > 0) {
            host = item.substring(0, item.indexOf(':'));
            port = item.substring(item.indexOf(':') + 1);
        }
        try {
            int p = port == null ? defaultPort : Integer.parseInt(port);
            return p < 1 || p > 65535 || host.isEmpty() ? null : new Server(host, p);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Tls tls(Settings conf) {
        String verify = conf.string(PREFIX + "ssl.verify", "verify_peer").strip().toLowerCase(Locale.ROOT);
        if (!verify.equals("verify_peer") && !verify.equals("verify_none")) {
            throw conf.invalid(PREFIX + "ssl.verify", "verify_peer or verify_none");
        }
        Optional<Path> certfile = file(conf, "ssl.certfile");
        Optional<Path> keyfile = file(conf, "ssl.keyfile");
        if (certfile.isPresent() != keyfile.isPresent()) {
            throw conf.invalid(PREFIX + (certfile.isPresent() ? "ssl.certfile" : "ssl.keyfile"),
                    "auth.ldap.ssl.certfile and auth.ldap.ssl.keyfile together (a client certificate and its key)");
        }
        conf.bool(PREFIX + "ssl.fail_if_no_peer_cert", true);      // EMQ's key; only a server can ask for a cert
        return new Tls(conf.bool(PREFIX + "ssl", false), file(conf, "ssl.cacertfile"), certfile, keyfile,
                verify.equals("verify_peer"));
    }

    private static Optional<Path> file(Settings conf, String name) {
        return conf.find(PREFIX + name).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
    }

    /** A DN template, checked by rendering it with sample values: {@code uid=%u,ou=People} must give a DN. */
    private static Optional<Template> dnTemplate(Settings conf, String name) {
        if (conf.find(PREFIX + name).map(String::isBlank).orElse(true)) {
            return Optional.empty();                            // "auth.ldap.user_dn =" is not set
        }
        Optional<Template> t = Placeholders.setting(conf, PREFIX + name,
                text -> Placeholders.template(text.strip(), AVAILABLE));
        t.ifPresent(template -> checkDn(conf, name, render(template, Placeholders::escapeDnValue)));
        return t;
    }

    private static void checkDn(Settings conf, String name, String dn) {
        try {
            new DN(dn);
        } catch (LDAPException e) {
            throw conf.invalid(PREFIX + name, "a DN such as uid=%u,ou=People,dc=example,dc=com ("
                    + e.getDiagnosticMessage() + ")");
        }
    }

    /**
     * EMQ 2.3 searched with {@code (username=<%u>)}, or the client id when {@code auth_dn} names {@code %c};
     * {@code auth.ldap.filter} (jemq) replaces it, e.g. {@code (&(objectClass=inetOrgPerson)(uid=%u))}.
     */
    private static Template filter(Settings conf, Optional<Template> authDn) {
        boolean byClientId = authDn.map(t -> t.slots().contains(Placeholder.CLIENT_ID)
                && !t.slots().contains(Placeholder.USERNAME)).orElse(false);
        Template t = Placeholders.setting(conf, PREFIX + "filter",
                        text -> Placeholders.template(text.strip(), AVAILABLE))
                .orElse(Placeholders.template(byClientId ? "(username=%c)" : "(username=%u)", AVAILABLE));
        try {
            Filter.create(render(t, Placeholders::escapeFilterValue));
        } catch (LDAPException e) {
            throw conf.invalid(PREFIX + "filter", "an LDAP search filter such as (uid=%u) ("
                    + e.getDiagnosticMessage() + ")");
        }
        return t;
    }

    private static PasswordHash unsaltedHash(String text) {
        try {
            PasswordHash hash = PasswordHash.parse(text);
            return hash.needsSalt() ? null : hash;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String render(Template t, UnaryOperator<String> escape) {
        return t.render(SAMPLE, escape);
    }

    private static Set<Placeholder> withoutPassword() {
        Set<Placeholder> set = EnumSet.copyOf(Placeholder.AT_CONNECT);
        set.remove(Placeholder.PASSWORD);
        return Collections.unmodifiableSet(set);
    }

    private static PlaceholderValues sampleValues() {
        PlaceholderValues v = PlaceholderValues.none();
        for (Placeholder p : Placeholder.values()) {
            v = v.with(p, "sample");
        }
        return v;
    }
}
