package io.jemq.auth.http;

import io.jemq.api.ConfigException;
import io.jemq.api.ParamsTemplate;
import io.jemq.api.Placeholder;
import io.jemq.api.Placeholders;
import io.jemq.auth.http.HttpAuthSettings.Tls;
import io.jemq.auth.http.HttpRequestSpec.Kind;
import io.jemq.auth.http.HttpRequestSpec.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.jemq.auth.http.HttpAuthSettings.PREFIX;

/**
 * Reads both key families into one {@link HttpAuthSettings}. First each key is brought to its EMQX Edge spelling
 * ({@code auth.http.acl_req} → {@code auth.http.acl_req.url}, {@code auth.http.cache_ttl} →
 * {@code auth.http.acl_cache_ttl}, a {@code .params = a=%u,b=%c} list → {@code .params.a}, {@code .params.b}); the
 * same setting written both ways is an error, since one of them would be silently dropped. Then each value is checked,
 * and an error names the key as written (with its file and line when it came from the file). Used once per load or
 * update, on that thread.
 */
final class HttpSettingsReader {
    private static final Logger log = LoggerFactory.getLogger(HttpSettingsReader.class);
    /** Keys under the prefix that the broker reads for every plugin ({@code PluginContext}). */
    private static final Set<String> BROKER_KEYS = Set.of(PREFIX + "pool", PREFIX + "pool_queue",
            PREFIX + "on_error");
    private static final Map<Kind, String> DEFAULT_PARAMS = Map.of(
            Kind.AUTH_REQ, "clientid=%c,username=%u,password=%P",
            Kind.SUPER_REQ, "clientid=%c,username=%u",
            Kind.ACL_REQ, "access=%A,username=%u,clientid=%c,ipaddr=%a,topic=%t");
    private static final Set<Placeholder> ALL = EnumSet.allOf(Placeholder.class);

    /** Makes the error for a key as written. */
    interface Errors {
        ConfigException invalid(String key, String expected);
    }

    private final Map<String, String> conf = new LinkedHashMap<>();      // EMQX Edge spelling → value
    private final Map<String, String> written = new HashMap<>();         // EMQX Edge spelling → key as written
    private final Set<String> used = new HashSet<>();
    private final Errors errors;

    private HttpSettingsReader(Errors errors) {
        this.errors = errors;
    }

    static HttpAuthSettings read(Map<String, String> raw, Errors errors) {
        HttpSettingsReader r = new HttpSettingsReader(errors);
        raw.forEach(r::add);
        return r.settings();
    }

    /** A key in EMQX Edge's spelling; a params list key stays as it is ({@link #isParamsList}). */
    static String canonicalKey(String key) {
        if (key.equals(PREFIX + "cache_ttl")) {
            return PREFIX + "acl_cache_ttl";
        }
        for (Kind kind : Kind.values()) {
            if (key.equals(PREFIX + kind.key())) {
                return PREFIX + kind.key() + ".url";
            }
        }
        return key;
    }

    /** {@code auth.http.acl_req.params}: EMQ 2.x's one-line list of a request's parameters. */
    static boolean isParamsList(String key) {
        for (Kind kind : Kind.values()) {
            if (key.equals(PREFIX + kind.key() + ".params")) {
                return true;
            }
        }
        return false;
    }

    private void add(String key, String value) {
        if (!key.startsWith(PREFIX) || BROKER_KEYS.contains(key)) {
            return;
        }
        if (!isParamsList(key)) {
            put(canonicalKey(key), value, key);
            return;
        }
        ParamsTemplate list;
        try {
            list = Placeholders.params(value, ALL);
        } catch (IllegalArgumentException e) {
            throw errors.invalid(key, e.getMessage());
        }
        list.templates().forEach((name, t) -> put(key + "." + name, t.source(), key));
    }

    private void put(String canonical, String value, String asWritten) {
        String before = written.putIfAbsent(canonical, asWritten);
        if (before != null && !before.equals(asWritten)) {
            throw errors.invalid(asWritten, "either " + before + " or " + asWritten + ", not both");
        }
        conf.put(canonical, value);
    }

    private HttpAuthSettings settings() {
        boolean enabled = bool(PREFIX + "enable", true);
        HttpRequestSpec auth = request(Kind.AUTH_REQ);
        HttpRequestSpec superReq = request(Kind.SUPER_REQ);
        HttpRequestSpec acl = request(Kind.ACL_REQ);
        Duration timeout = duration(PREFIX + "timeout", Duration.ofSeconds(4), Duration.ofMillis(1));
        Duration connectTimeout = duration(PREFIX + "connect_timeout", Duration.ofSeconds(3), Duration.ofMillis(1));
        int poolSize = integer(PREFIX + "pool_size", 32, 1, 1024);
        Duration ttl = duration(PREFIX + "acl_cache_ttl", Duration.ZERO, Duration.ZERO);
        int cacheSize = integer(PREFIX + "acl_cache_max_size", 100_000, 1, 10_000_000);
        Tls tls = new Tls(path("ssl.cacertfile"), path("ssl.certfile"), path("ssl.keyfile"));
        if ((tls.certfile() == null) != (tls.keyfile() == null)) {
            String set = tls.certfile() != null ? PREFIX + "ssl.certfile" : PREFIX + "ssl.keyfile";
            throw fail(set, "auth.http.ssl.certfile and auth.http.ssl.keyfile set together");
        }
        conf.keySet().stream().filter(k -> !used.contains(k)).forEach(k ->
                log.warn("emq_auth_http: unknown key {}, ignored", written.get(k)));
        return new HttpAuthSettings(enabled, auth, superReq, acl, timeout, connectTimeout, poolSize, ttl, cacheSize,
                tls);
    }

    private HttpRequestSpec request(Kind kind) {
        String p = PREFIX + kind.key();
        String urlText = take(p + ".url");
        URI url = urlText == null || urlText.isBlank() ? null : uri(p + ".url", urlText.strip());
        boolean emqSpelling = urlText != null && written.get(p + ".url").equals(p);
        // EMQ 2.x's file asks acl_req with GET; EMQX Edge defaults every request to POST
        Method method = method(p + ".method", kind == Kind.ACL_REQ && emqSpelling ? Method.GET : Method.POST);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String key : under(p + ".headers.")) {
            String name = key.substring((p + ".headers.").length());
            String value = take(key);
            try {
                HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header(name, value);
            } catch (IllegalArgumentException e) {
                throw fail(key, "a header the HTTP client may send (not Connection, Content-Length, Expect, Host or "
                        + "Upgrade: it sets those itself) with a printable value");
            }
            headers.put(name, value);
        }
        return new HttpRequestSpec(kind, bool(p + ".enable", true), url, method, headers, params(kind));
    }

    private ParamsTemplate params(Kind kind) {
        String p = PREFIX + kind.key() + ".params.";
        Set<Placeholder> available = kind == Kind.AUTH_REQ ? Placeholder.AT_CONNECT : ALL;
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : under(p)) {
            String value = take(key);
            try {
                Placeholders.template(value, available);
            } catch (IllegalArgumentException e) {
                throw fail(key, e.getMessage());
            }
            params.put(key.substring(p.length()), value);
        }
        if (params.isEmpty()) {
            return Placeholders.params(DEFAULT_PARAMS.get(kind), available);
        }
        ParamsTemplate t = Placeholders.params(params, available);
        boolean perCheck = kind == Kind.ACL_REQ || t.templates().values().stream().anyMatch(x ->
                x.slots().contains(Placeholder.TOPIC) || x.slots().contains(Placeholder.ACCESS));
        t.templates().forEach((name, x) -> {
            if (perCheck && x.slots().contains(Placeholder.PASSWORD)) {
                log.warn("emq_auth_http: {}: %P is not known at a publish or subscribe (the broker keeps no "
                        + "password after CONNECT); it is sent empty, as EMQX Edge does", written.get(p + name));
            }
        });
        return t;
    }

    private Set<String> under(String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        conf.keySet().stream().filter(k -> k.startsWith(prefix) && k.length() > prefix.length()).forEach(keys::add);
        return keys;
    }

    private String take(String key) {
        used.add(key);
        return conf.get(key);
    }

    private ConfigException fail(String key, String expected) {
        return errors.invalid(written.getOrDefault(key, key), expected);
    }

    private URI uri(String key, String text) {
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getFragment() == null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw fail(key, "an http:// or https:// URL such as http://127.0.0.1:8991/mqtt/acl");
    }

    private boolean bool(String key, boolean defaultValue) {
        String v = take(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw fail(key, "on or off");
        };
    }

    private Method method(String key, Method defaultValue) {
        String v = take(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Method.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw fail(key, "get, post or put");
        }
    }

    private int integer(String key, int defaultValue, int min, int max) {
        String v = take(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw fail(key, "an integer from " + min + " to " + max);
    }

    private Duration duration(String key, Duration defaultValue, Duration min) {
        String v = take(key);
        if (v == null) {
            return defaultValue;
        }
        Duration d = Durations.parse(v);
        if (d == null || d.compareTo(min) < 0) {
            throw fail(key, "a duration such as 500ms, 5s or 1m" + (min.isZero() ? "" : ", above zero"));
        }
        return d;
    }

    private Path path(String name) {
        String v = take(PREFIX + name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Path.of(v.strip());
        } catch (InvalidPathException e) {
            throw fail(PREFIX + name, "a file name");
        }
    }
}
