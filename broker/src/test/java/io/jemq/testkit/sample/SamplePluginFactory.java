package io.jemq.testkit.sample;

import io.jemq.api.ConfigException;
import io.jemq.api.PasswordHash;
import io.jemq.api.Placeholder;
import io.jemq.api.Placeholders;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.Settings;
import io.jemq.api.Template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code emq_auth_sample}: how to write a plugin against {@code io.jemq.api} alone. It authenticates clients
 * against a small directory written in its config, the way an LDAP plugin looks a user up by DN, and shows each part
 * of the API a real backend needs:
 * <ul>
 *   <li>{@link Placeholders}: the DN template is parsed once here; per CONNECT the username is escaped into it
 *       (RFC 4514), so {@code alice,ou=Admins} is one odd username, not another entry.</li>
 *   <li>{@link PluginContext#callBlocking}: the "directory lookup" runs on the plugin's bounded pool, as a JDBC or
 *       LDAP call must, never on the event loop that asked.</li>
 *   <li>{@link PluginContext#metrics()}: {@code auth/success}, {@code auth/failure}, {@code auth/ignore},
 *       {@code clients/connected}, {@code clients/disconnected}.</li>
 *   <li>{@link PluginContext#addListener}: a {@link io.jemq.api.BrokerListener} counting connects and disconnects,
 *       removed by the broker when the plugin unloads.</li>
 * </ul>
 * Its {@code etc/plugins/emq_auth_sample.conf}:
 * <pre>
 * auth.sample.user_dn = uid=%u,ou=People,dc=example,dc=com
 * auth.sample.password_hash = sha256
 * auth.sample.entry.1.dn = uid=alice,ou=People,dc=example,dc=com
 * auth.sample.entry.1.password = 1b1c...  ## sha256 of the password, hex
 * auth.sample.pool = 2                    ## read by the broker: the pool's threads
 * auth.sample.on_error = deny             ## read by the broker: what a failure answers
 * </pre>
 */
public final class SamplePluginFactory implements PluginFactory {
    static final String NAME = "emq_auth_sample";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sample authentication against a directory in its config (io.jemq.api only)";
    }

    @Override
    public Plugin create(PluginContext context) {
        Settings conf = context.settings();
        // parsed once, at load: a bad template fails the load naming file, line and key
        Template userDn = Placeholders.setting(conf, "auth.sample.user_dn",
                        text -> Placeholders.template(text, Placeholder.AT_CONNECT))
                .orElseThrow(() -> new ConfigException(NAME + ": auth.sample.user_dn: expected a DN template such"
                        + " as uid=%u,ou=People,dc=example,dc=com"));
        PasswordHash hash = conf.parsed("auth.sample.password_hash", PasswordHash.PLAIN,
                "a password hash such as sha256", text -> {
                    try {
                        return PasswordHash.parse(text);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                });
        Map<String, String> directory = new LinkedHashMap<>();
        for (String n : conf.names("auth.sample.entry")) {
            String dnKey = "auth.sample.entry." + n + ".dn";
            String dn = conf.find(dnKey).orElseThrow(() -> new ConfigException(NAME + ": " + dnKey
                    + ": expected the entry's DN"));
            directory.put(dn, conf.string("auth.sample.entry." + n + ".password", ""));
        }
        return new SamplePlugin(context, new SampleAuthenticator(context, userDn, hash, Map.copyOf(directory)));
    }
}
