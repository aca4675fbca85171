package io.jemq.auth.mongo;

import io.jemq.api.PasswordHash;
import io.jemq.api.Placeholder;
import io.jemq.api.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code etc/plugins/emq_auth_mongo.conf}, read once by {@link MongoPluginFactory#create} on the loading thread: EMQ
 * 2.3's keys ({@code auth.mongo.server, pool, login, password, auth_source, database, auth_query.*, super_query.*,
 * acl_query.*}), the seed's 2.0 spellings ({@code auth.mongo.user}; {@code super_query.*} and {@code acl_query.*}
 * without their {@code on} switch) and 3.x's {@code query_timeout} and {@code acl_query.selector.N}. The connection
 * keys are read by {@link MongoConnection}. A wrong value is a {@code ConfigException} naming file, line and key.
 *
 * @param superQuery null when off: nobody is a superuser
 * @param aclQuery   null when off: no ACL source
 */
record MongoConfig(AuthQuery authQuery, SuperQuery superQuery, AclQuery aclQuery) {
    private static final Logger log = LoggerFactory.getLogger(MongoConfig.class);
    static final String PREFIX = "auth.mongo.";
    private static final Set<String> KEYS = Set.of("type", "rs_set_name", "server", "pool", "pool_queue",
            "on_error", "login", "user", "password", "auth_source", "database", "query_timeout", "ssl",
            "ssl_opts.cacertfile", "ssl_opts.certfile", "ssl_opts.keyfile", "w_mode", "r_mode",
            "auth_query.collection", "auth_query.password_field", "auth_query.password_hash", "auth_query.selector",
            "super_query", "super_query.collection", "super_query.super_field", "super_query.selector",
            "acl_query", "acl_query.collection", "acl_query.selector");

    /** EMQ's {@code auth_query.*}: {@code password_field} is {@code password} or {@code password,salt}. */
    record AuthQuery(String collection, List<String> passwordFields, PasswordHash hash, MongoSelector selector) {
    }

    /** EMQ's {@code super_query.*}: the field must be the BSON boolean {@code true}. */
    record SuperQuery(String collection, String field, MongoSelector selector) {
    }

    /** EMQ's {@code acl_query.*}: each selector is its own query, and the documents found are combined. */
    record AclQuery(String collection, List<MongoSelector> selectors) {
    }

    static MongoConfig from(Settings s) {
        warnUnknownKeys(s);
        String authKey = PREFIX + "auth_query.";
        PasswordHash hash = s.parsed(authKey + "password_hash", PasswordHash.parse("sha256"),
                "plain, md5, sha, sha256, sha512, bcrypt, pbkdf2,<mac>,<iterations>,<dklen>, or a salt before or "
                        + "after a digest such as salt,sha256", MongoConfig::hash);
        List<String> passwordFields = Arrays.stream(s.string(authKey + "password_field", "password").split("[,\\s]+"))
                .filter(f -> !f.isBlank()).toList();
        if (passwordFields.isEmpty() || passwordFields.size() > 2) {
            throw s.invalid(authKey + "password_field", "password, or password,salt");
        }
        if (hash.needsSalt() && passwordFields.size() < 2) {
            throw s.invalid(authKey + "password_field", "the password and salt fields, such as password,salt, "
                    + "since auth.mongo.auth_query.password_hash = " + hash + " needs a salt");
        }
        AuthQuery auth = new AuthQuery(collection(s, authKey + "collection", "mqtt_user"), passwordFields, hash,
                selector(s, authKey + "selector", Placeholder.AT_CONNECT));
        SuperQuery superQuery = !enabled(s, "super_query") ? null : new SuperQuery(
                collection(s, PREFIX + "super_query.collection", "mqtt_user"),
                field(s, PREFIX + "super_query.super_field", "is_superuser"),
                selector(s, PREFIX + "super_query.selector", Placeholder.AT_CONNECT));
        AclQuery aclQuery = !enabled(s, "acl_query") ? null : new AclQuery(
                collection(s, PREFIX + "acl_query.collection", "mqtt_acl"), aclSelectors(s));
        return new MongoConfig(auth, superQuery, aclQuery);
    }

    private static PasswordHash hash(String text) {
        try {
            return PasswordHash.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * {@code super_query = on|off} in 2.3; the seed (2.0) has no switch and turns the part on by setting its keys.
     */
    private static boolean enabled(Settings s, String part) {
        if (s.contains(PREFIX + part)) {
            return s.bool(PREFIX + part, false);
        }
        return s.keys().stream().anyMatch(k -> k.startsWith(PREFIX + part + "."));
    }

    private static String collection(Settings s, String key, String defaultValue) {
        String name = s.string(key, defaultValue).strip();
        if (name.isEmpty() || name.contains("$") || name.indexOf('\0') >= 0) {
            throw s.invalid(key, "a collection name, such as " + defaultValue);
        }
        return name;
    }

    private static String field(Settings s, String key, String defaultValue) {
        String name = s.string(key, defaultValue).strip();
        if (name.isEmpty() || name.startsWith("$")) {
            throw s.invalid(key, "a field name, such as " + defaultValue);
        }
        return name;
    }

    private static MongoSelector selector(Settings s, String key, Set<Placeholder> available) {
        String text = s.string(key, "username=%u");
        try {
            return MongoSelector.parse(text.isBlank() ? "username=%u" : text, available);
        } catch (IllegalArgumentException e) {
            throw s.invalid(key, e.getMessage());
        }
    }

    /** {@code acl_query.selector}, then {@code acl_query.selector.1}, {@code .2}...; at least one. */
    private static List<MongoSelector> aclSelectors(Settings s) {
        String base = PREFIX + "acl_query.selector";
        List<MongoSelector> out = new ArrayList<>();
        if (s.contains(base)) {
            out.add(selector(s, base, Placeholder.AT_ACL_CHECK));
        }
        List<String> numbered = new ArrayList<>(s.names(base));
        numbered.sort((a, b) -> a.length() != b.length() ? a.length() - b.length() : a.compareTo(b));
        for (String n : numbered) {
            if (!n.chars().allMatch(Character::isDigit)) {
                throw s.invalid(base + "." + n, "acl_query.selector.<number>, such as acl_query.selector.2");
            }
            out.add(selector(s, base + "." + n, Placeholder.AT_ACL_CHECK));
        }
        if (out.isEmpty()) {
            out.add(selector(s, base, Placeholder.AT_ACL_CHECK));
        }
        return List.copyOf(out);
    }

    private static void warnUnknownKeys(Settings s) {
        for (String key : s.keys()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String rest = key.substring(PREFIX.length());
            boolean known = KEYS.contains(rest) || rest.startsWith("topology.")
                    || rest.matches("acl_query\\.selector\\.[0-9]+");
            if (!known) {
                log.warn("{}: {} is not a key of emq_auth_mongo; ignored", s.origin(key).orElse("?"), key);
            }
        }
    }
}
