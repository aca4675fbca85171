package io.jemq.auth.http;

import io.jemq.api.PluginMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed update, and the file it writes: values in place, stale keys commented out, new keys at the end. */
class HttpAuthPluginTest {
    @TempDir
    Path dir;

    private static PluginMetrics metrics() {
        Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
        return name -> {
            AtomicLong n = counters.computeIfAbsent(name, k -> new AtomicLong());
            return new PluginMetrics.Counter() {
                @Override
                public void increment() {
                    n.incrementAndGet();
                }

                @Override
                public void add(long k) {
                    n.addAndGet(k);
                }

                @Override
                public long get() {
                    return n.get();
                }
            };
        };
    }

    @Test
    void aTypedUpdateIsInEffectAndWrittenAsTheOperatorSpelledIt() throws Exception {
        Path file = dir.resolve("emq_auth_http.conf");
        String before = """
                ## Authentication URL
                auth.http.auth_req = http://127.0.0.1:8080/mqtt/auth
                auth.http.auth_req.params = clientid=%c,username=%u,password=%P

                ## 'access' parameter: sub = 1, pub = 2
                auth.http.acl_req = http://127.0.0.1:8080/mqtt/acl
                auth.http.cache_ttl = 10s
                auth.http.on_error = deny
                auth.http.typo_key = 1
                """;
        Files.writeString(file, before);
        HttpAuthSettings loaded = HttpAuthSettings.from(Map.of(
                "auth.http.auth_req", "http://127.0.0.1:8080/mqtt/auth",
                "auth.http.auth_req.params", "clientid=%c,username=%u,password=%P",
                "auth.http.acl_req", "http://127.0.0.1:8080/mqtt/acl",
                "auth.http.cache_ttl", "10s"));
        HttpAuthPlugin plugin = new HttpAuthPlugin(loaded, file, new RequestCounters(metrics()));

        HttpAuthSettings next = plugin.settings().with(Map.of("auth.http.auth_req.params.username", "%u",
                "auth.http.cache_ttl", "1m", "auth.http.acl_req.enable", "off"));
        plugin.update(next);

        assertThat(plugin.settings()).isSameAs(next);
        assertThat(plugin.settings().aclAsked()).isNull();
        assertThat(Files.readString(file)).startsWith("""
                ## Authentication URL
                auth.http.auth_req = http://127.0.0.1:8080/mqtt/auth
                auth.http.auth_req.params = clientid=%c,username=%u,password=%P

                ## 'access' parameter: sub = 1, pub = 2
                auth.http.acl_req = http://127.0.0.1:8080/mqtt/acl
                auth.http.cache_ttl = 1m
                auth.http.on_error = deny
                ## auth.http.typo_key = 1

                ## Set at run time (management API or dashboard)
                auth.http.auth_req.method = post
                auth.http.acl_req.enable = off
                auth.http.acl_req.method = get
                """);
        assertThat(HttpAuthSettings.from(Map.of("auth.http.cache_ttl", "1m")).aclCacheTtl())
                .isEqualTo(plugin.settings().aclCacheTtl());
        assertThat(dir.toFile().list()).containsExactly("emq_auth_http.conf");      // no temporary file left
    }
}
