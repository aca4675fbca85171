package io.jemq.auth.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * One settings snapshot with what it needs to run: the HTTP client built for its timeouts and TLS files, and the ACL
 * cache sized by its TTL (none when the TTL is zero). Swapped whole by {@link HttpAuthPlugin#update}, so an update
 * starts with an empty cache: answers given under other settings are not reused. Immutable reference holder;
 * thread-safe.
 */
final class HttpAuthRuntime {
    final HttpAuthSettings settings;
    final HttpAuthClient client;
    /** Allows only (EMQX Edge): a deny is asked again every time. Null when {@code acl_cache_ttl} is zero. */
    final Cache<AclKey, Boolean> allowed;

    /** @throws io.jemq.api.ConfigException when a TLS file cannot be read */
    HttpAuthRuntime(HttpAuthSettings settings, RequestCounters counters) {
        this.settings = settings;
        this.client = new HttpAuthClient(settings, counters);
        this.allowed = settings.aclCacheTtl().isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(settings.aclCacheTtl())          // per entry: none outlives the TTL
                .maximumSize(settings.aclCacheMaxSize())
                .build();
    }
}
