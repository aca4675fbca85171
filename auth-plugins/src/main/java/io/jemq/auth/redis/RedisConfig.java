package io.jemq.auth.redis;

import io.jemq.api.CommandTemplate;
import io.jemq.api.PasswordHash;
import io.jemq.api.Placeholder;
import io.jemq.api.Placeholders;
import io.jemq.api.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code etc/plugins/emq_auth_redis.conf}, read once by {@link RedisPluginFactory#create} on the loading thread:
 * EMQ 2.x's keys ({@code auth.redis.server, pool, database, password, sentinel, auth_cmd, password_hash, super_cmd,
 * acl_cmd}, 2.0's {@code pbkdf2_*}) and 3.x's {@code type} and {@code query_timeout}. A wrong value is a
 * {@code ConfigException} naming file, line and key.
 *
 * @param authCmd  null when {@code auth_cmd} is not set: no authentication source
 * @param superCmd null when {@code super_cmd} is not set: nobody is a superuser
 * @param aclCmd   null when {@code acl_cmd} is not set: no ACL source
 * @param password null when none is set
 */
record RedisConfig(Topology type, List<Address> servers, String sentinelMaster, int pool, int database,
                   String password, Duration queryTimeout, CommandTemplate authCmd, PasswordHash passwordHash,
                   CommandTemplate superCmd, CommandTemplate aclCmd) {
    private static final Logger log = LoggerFactory.getLogger(RedisConfig.class);
    static final String PREFIX = "auth.redis.";
    private static final Set<String> KEYS = Set.of("type", "server", "sentinel", "pool", "pool_queue", "on_error",
            "database", "password", "query_timeout", "auth_cmd", "password_hash", "pbkdf2_macfun",
            "pbkdf2_iterations", "pbkdf2_dklen", "super_cmd", "acl_cmd", "acl_nomatch");

    /** How the servers are deployed: EMQ 3.x's {@code auth.redis.type}. */
    enum Topology { SINGLE, SENTINEL, CLUSTER }

    /** One {@code host:port} of {@code auth.redis.server}. */
    record Address(String host, int port) {
        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    static RedisConfig from(Settings s) {
        warnUnknownKeys(s);
        String sentinel = blankToNull(s.string(PREFIX + "sentinel", ""));
        Topology type = s.oneOf(PREFIX + "type", Topology.class,
                sentinel == null ? Topology.SINGLE : Topology.SENTINEL);
        if (type == Topology.SENTINEL && sentinel == null) {
            throw s.invalid(PREFIX + "type", "single or cluster, or auth.redis.sentinel set to the master's name "
                    + "(such as mymaster) for sentinel");
        }
        List<Address> servers = servers(s, type);
        int database = s.integer(PREFIX + "database", 0, 0, 1_000_000);
        if (type == Topology.CLUSTER && database != 0) {
            throw s.invalid(PREFIX + "database", "0 with auth.redis.type = cluster (a cluster has database 0 only)");
        }
        PasswordHash hash = passwordHash(s);
        CommandTemplate authCmd = Placeholders.setting(s, PREFIX + "auth_cmd",
                c -> Placeholders.command(c, Placeholder.AT_CONNECT)).orElse(null);
        if (authCmd != null) {
            requireSaltField(s, authCmd, hash);
        }
        return new RedisConfig(type, servers, sentinel, s.integer(PREFIX + "pool", 8, 1, 1024), database,
                blankToNull(s.string(PREFIX + "password", "")),
                s.duration(PREFIX + "query_timeout", "5s", Duration.ofMillis(10), Duration.ofMinutes(1)),
                authCmd, hash,
                Placeholders.setting(s, PREFIX + "super_cmd", c -> Placeholders.command(c, Placeholder.AT_CONNECT))
                        .orElse(null),
                Placeholders.setting(s, PREFIX + "acl_cmd", c -> Placeholders.command(c, Placeholder.AT_ACL_CHECK))
                        .orElse(null));
    }

    /** {@code 6379}, {@code 127.0.0.1:6379}, {@code [::1]:6379}; a comma-separated list for sentinel and cluster. */
    private static List<Address> servers(Settings s, Topology type) {
        String key = PREFIX + "server";
        int defaultPort = type == Topology.SENTINEL ? 26379 : 6379;
        String text = s.string(key, "").strip();
        if (text.isEmpty()) {
            return List.of(new Address("127.0.0.1", defaultPort));  // the seed ships "auth.redis.server =" empty
        }
        List<Address> out = new ArrayList<>();
        for (String one : text.split(",")) {
            Address a = address(one.strip(), defaultPort);
            if (a == null) {
                throw s.invalid(key, "host:port, such as 127.0.0.1:6379 (a comma-separated list for sentinel and "
                        + "cluster)");
            }
            out.add(a);
        }
        if (type == Topology.SINGLE && out.size() > 1) {
            throw s.invalid(key, "one host:port with auth.redis.type = single (a list is for sentinel and cluster)");
        }
        return List.copyOf(out);
    }

    private static Address address(String text, int defaultPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = text.substring(1, end);
            port = text.length() > end + 1 && text.charAt(end + 1) == ':' ? text.substring(end + 2) : "";
        } else if (text.chars().allMatch(Character::isDigit)) {
            host = "127.0.0.1";
            port = text;
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? "" : text.substring(colon + 1);
        }
        try {
            int p = port.isEmpty() ? defaultPort : Integer.parseInt(port);
            return host.isEmpty() || host.contains(" ") || p < 1 || p > 65535 ? null : new Address(host, p);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** EMQ 2.3's {@code pbkdf2,sha256,1000,20}, or 2.0's {@code pbkdf2} with its three {@code pbkdf2_*} keys. */
    private static PasswordHash passwordHash(Settings s) {
        String key = PREFIX + "password_hash";
        if (s.string(key, "plain").strip().equalsIgnoreCase("pbkdf2")) {
            try {
                return PasswordHash.pbkdf2(s.string(PREFIX + "pbkdf2_macfun", "sha256").strip(),
                        s.integer(PREFIX + "pbkdf2_iterations", 4096, 1, 10_000_000),
                        s.integer(PREFIX + "pbkdf2_dklen", 20, 1, 1024));
            } catch (IllegalArgumentException e) {
                throw s.invalid(PREFIX + "pbkdf2_macfun", e.getMessage());
            }
        }
        return s.parsed(key, PasswordHash.PLAIN, "plain, md5, sha, sha256, sha512, bcrypt, "
                + "pbkdf2,<mac>,<iterations>,<dklen>, or a salt before or after a digest such as salt,sha256",
                v -> {
                    try {
                        return PasswordHash.parse(v);
                    } catch (IllegalArgumentException e) {
                        return null;
                    }
                });
    }

    /**
     * A salted hash with an {@code HGET}, or an {@code HMGET} of one field, can never be checked (EMQ crashed on it
     * at each CONNECT): say so once, at load.
     */
    private static void requireSaltField(Settings s, CommandTemplate cmd, PasswordHash hash) {
        if (!hash.needsSalt()) {
            return;
        }
        String name = cmd.templates().get(0).source().toUpperCase(Locale.ROOT);
        int fields = cmd.templates().size() - 2;
        if (name.equals("HGET") || (name.equals("HMGET") && fields < 2)) {
            throw s.invalid(PREFIX + "auth_cmd", "a command that fetches the salt too, such as HMGET mqtt_user:%u "
                    + "password salt, since auth.redis.password_hash = " + hash + " needs one");
        }
    }

    private static void warnUnknownKeys(Settings s) {
        for (String key : s.keys()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key.substring(PREFIX.length()))) {
                log.warn("{}: {} is not a key of emq_auth_redis; ignored", s.origin(key).orElse("?"), key);
            } else if (key.equals(PREFIX + "acl_nomatch")) {
                log.warn("{}: {} (EMQ 2.0) is ignored: mqtt.acl_nomatch in etc/emq.conf decides when no source "
                        + "does", s.origin(key).orElse("?"), key);
            }
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
