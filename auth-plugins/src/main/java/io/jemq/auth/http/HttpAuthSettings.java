package io.jemq.auth.http;

import io.jemq.api.ConfigException;
import io.jemq.api.Settings;
import io.jemq.auth.http.HttpRequestSpec.Kind;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code etc/plugins/emq_auth_http.conf} sets, typed and checked: one immutable snapshot. The plugin holds
 * the current one and swaps it whole ({@link HttpAuthPlugin#update}), so a request runs on the old or the new
 * settings, never a mix. Both key families are read (EMQ 2.x {@code auth.http.acl_req = URL} with
 * {@code .params = k=v,...}, and EMQX Edge {@code auth.http.acl_req.url} with {@code .params.<k>} and
 * {@code .headers.<k>}); {@link #toConf()} gives the settings back as keys, EMQX Edge's spelling.
 *
 * @param enabled         {@code auth.http.enable}: off asks nothing at all (every check is IGNORE)
 * @param timeout         {@code auth.http.timeout}: a request's whole answer, from when it is sent
 * @param connectTimeout  {@code auth.http.connect_timeout}
 * @param poolSize        {@code auth.http.pool_size}: requests in flight at once; more wait, up to 128 per slot
 * @param aclCacheTtl     {@code auth.http.acl_cache_ttl}: how long an allow is reused; zero turns the cache off
 * @param aclCacheMaxSize {@code auth.http.acl_cache_max_size}: allows kept at most, the least used dropped first
 * @param tls             {@code auth.http.ssl.*}: files for https URLs; null paths use the JDK's defaults
 */
public record HttpAuthSettings(boolean enabled, HttpRequestSpec authReq, HttpRequestSpec superReq,
                               HttpRequestSpec aclReq, Duration timeout, Duration connectTimeout, int poolSize,
                               Duration aclCacheTtl, int aclCacheMaxSize, Tls tls) {
    /** The settings' prefix: every key of this plugin starts with it. */
    public static final String PREFIX = "auth.http.";

    /**
     * TLS to the auth server: the CA that signed its certificate (none: the JDK's trusted CAs) and the certificate and
     * key this broker presents (PEM; the key PKCS#8 or PKCS#1 RSA, unencrypted).
     */
    public record Tls(Path cacertfile, Path certfile, Path keyfile) {
    }

    /**
     * Reads the plugin's config file.
     *
     * @throws ConfigException naming file, line and key
     */
    public static HttpAuthSettings from(Settings settings) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String key : settings.keys()) {
            raw.put(key, settings.find(key).orElse(""));
        }
        return HttpSettingsReader.read(raw, settings::invalid);
    }

    /**
     * Reads settings given as keys and values (either family), as the management API hands them over.
     *
     * @throws ConfigException naming the key, what it expects and what it got
     */
    public static HttpAuthSettings from(Map<String, String> conf) {
        return HttpSettingsReader.read(conf, (key, expected) -> new ConfigException("emq_auth_http: " + key
                + ": expected " + expected + ", got \"" + conf.getOrDefault(key, "") + "\""));
    }

    /**
     * These settings with {@code changes} applied (keys of either family; a null value removes a key, so its default
     * applies). A request's parameters written as one list ({@code auth.http.acl_req.params = a=%u,b=%c}) replace
     * all of its parameters; {@code auth.http.acl_req.params.a = %u} changes that one.
     *
     * @throws ConfigException naming the key when a value is wrong
     */
    public HttpAuthSettings with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(toConf());
        changes.forEach((key, value) -> {
            if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
                throw new ConfigException("emq_auth_http: " + key + ": expected one line, got a line break");
            }
            String canonical = HttpSettingsReader.canonicalKey(key);
            if (HttpSettingsReader.isParamsList(key)) {
                merged.keySet().removeIf(k -> k.startsWith(key + "."));   // the list is all of that request's
                if (value != null) {
                    merged.put(key, value);
                }
            } else if (value == null) {
                merged.remove(canonical);
            } else {
                // in place when it is set (the file keeps its order), else as given (its spelling picks defaults)
                merged.put(merged.containsKey(canonical) ? canonical : key, value);
            }
        });
        return from(merged);
    }

    /** The values that go without saying: what an empty file gives, and each request switched on. */
    static Map<String, String> defaults() {
        Map<String, String> out = new LinkedHashMap<>(from(Map.of()).toConf());
        for (Kind kind : Kind.values()) {
            out.put(PREFIX + kind.key() + ".enable", "on");
        }
        return out;
    }

    /** The request of that kind (never null; {@link HttpRequestSpec#active()} says whether it asks anything). */
    public HttpRequestSpec request(Kind kind) {
        return switch (kind) {
            case AUTH_REQ -> authReq;
            case SUPER_REQ -> superReq;
            case ACL_REQ -> aclReq;
        };
    }

    /** The super_req asked at CONNECT (EMQ 2.x), or null when there is none or it is asked per check. */
    HttpRequestSpec superAtConnect() {
        return enabled && superReq.active() && !superReq.perCheck() ? superReq : null;
    }

    /** The super_req asked on each publish and subscribe (EMQX Edge: its parameters use %A or %t), or null. */
    HttpRequestSpec superPerCheck() {
        return enabled && superReq.active() && superReq.perCheck() ? superReq : null;
    }

    /** The acl_req, or null when it asks nothing. */
    HttpRequestSpec aclAsked() {
        return enabled && aclReq.active() ? aclReq : null;
    }

    /** The auth_req, or null when it asks nothing. */
    HttpRequestSpec authAsked() {
        return enabled && authReq.active() ? authReq : null;
    }

    /**
     * The settings as keys and values, EMQX Edge's spelling, every value explicit (a request without a URL left out):
     * what the file is made to say, and what {@link #from(Map)} reads back to equal settings.
     */
    public Map<String, String> toConf() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX + "enable", onOff(enabled));
        for (Kind kind : Kind.values()) {
            HttpRequestSpec r = request(kind);
            String p = PREFIX + kind.key() + ".";
            if (r.url() == null) {
                continue;                              // not configured: nothing of it is worth keeping
            }
            out.put(p + "url", r.url().toString());
            out.put(p + "enable", onOff(r.enabled()));
            out.put(p + "method", r.method().name().toLowerCase(Locale.ROOT));
            r.headers().forEach((name, value) -> out.put(p + "headers." + name, value));
            r.params().templates().forEach((name, t) -> out.put(p + "params." + name, t.source()));
        }
        out.put(PREFIX + "timeout", Durations.format(timeout));
        out.put(PREFIX + "connect_timeout", Durations.format(connectTimeout));
        out.put(PREFIX + "pool_size", Integer.toString(poolSize));
        out.put(PREFIX + "acl_cache_ttl", Durations.format(aclCacheTtl));
        out.put(PREFIX + "acl_cache_max_size", Integer.toString(aclCacheMaxSize));
        putPath(out, "ssl.cacertfile", tls.cacertfile());
        putPath(out, "ssl.certfile", tls.certfile());
        putPath(out, "ssl.keyfile", tls.keyfile());
        return out;
    }

    private static void putPath(Map<String, String> out, String key, Path path) {
        if (path != null) {
            out.put(PREFIX + key, path.toString());
        }
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }
}
