package io.jemq.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Authentication, ACL and plugin settings. Where the node keeps its files is {@link NodeSettings}.
 *
 * @param authTimeout       {@code mqtt.auth_timeout} (5s): how long one authentication or ACL source may take before
 *                          it counts as unreachable (CONNACK 3 / 0x88 at CONNECT, deny at an ACL check)
 * @param aclNomatch        {@code mqtt.acl_nomatch} (allow): the answer when every ACL source ignores
 * @param aclFile           {@code mqtt.acl_file} (etc/acl.conf)
 * @param aclFileRequired   whether {@code mqtt.acl_file} was set: then a missing file is an error; the default path
 *                          may be absent (an embedded broker has no etc/), which means no internal rules
 * @param aclCacheEnabled   {@code mqtt.acl_cache.enable}, or EMQ 2.x's {@code mqtt.cache_acl} (on)
 * @param aclCacheMaxSize   {@code mqtt.acl_cache.max_size} (32): entries per connection
 * @param aclCacheTtl       {@code mqtt.acl_cache.ttl} (1m): how long one entry is trusted
 * @param aclDenyAction     {@code mqtt.acl_deny_action} (ignore)
 * @param pluginsEtcDir     {@code mqtt.plugins.etc_dir} (etc/plugins): where {@code <plugin>.conf} files are
 * @param pluginsLoadedFile {@code mqtt.plugins.loaded_file} (data/loaded_plugins): plugins loaded at start-up
 */
public record AccessSettings(
        Duration authTimeout,
        Nomatch aclNomatch,
        Path aclFile,
        boolean aclFileRequired,
        boolean aclCacheEnabled,
        int aclCacheMaxSize,
        Duration aclCacheTtl,
        DenyAction aclDenyAction,
        Path pluginsEtcDir,
        Path pluginsLoadedFile) {

    /** The answer when no ACL source decided. */
    public enum Nomatch { ALLOW, DENY }

    /** What happens to a client whose PUBLISH is denied. */
    public enum DenyAction { IGNORE, DISCONNECT }

    private static final String CACHE_ENABLE = "mqtt.acl_cache.enable";

    /** {@code mqtt.acl*}: the file, the cache, nomatch and the deny action, in EMQ's 2.x and 3.x spellings. */
    static final ConfigKeys KEYS = ConfigKeys.of("mqtt.auth_timeout", "mqtt.cache_acl", "mqtt.plugins.etc_dir",
            "mqtt.plugins.loaded_file").withPrefixes("mqtt.acl");

    public static AccessSettings from(ConfFile f) {
        // the EMQ 3.x name wins over the 2.x one when a file has both
        boolean cacheEnabled = f.contains(CACHE_ENABLE) ? f.bool(CACHE_ENABLE, true) : f.bool("mqtt.cache_acl", true);
        return new AccessSettings(
                f.duration("mqtt.auth_timeout", "5s", Duration.ofMillis(1), Duration.ofMinutes(10)),
                f.oneOf("mqtt.acl_nomatch", Nomatch.class, Nomatch.ALLOW),
                path(f, "mqtt.acl_file", "etc/acl.conf"),
                f.contains("mqtt.acl_file"),
                cacheEnabled,
                f.integer("mqtt.acl_cache.max_size", 32, 1, 1 << 20),
                f.duration("mqtt.acl_cache.ttl", "1m", Duration.ofMillis(1), null),
                f.oneOf("mqtt.acl_deny_action", DenyAction.class, DenyAction.IGNORE),
                path(f, "mqtt.plugins.etc_dir", "etc/plugins"),
                path(f, "mqtt.plugins.loaded_file", "data/loaded_plugins"));
    }

    private static Path path(ConfFile f, String key, String defaultValue) {
        return NodeSettings.path(f, key, defaultValue);
    }
}
