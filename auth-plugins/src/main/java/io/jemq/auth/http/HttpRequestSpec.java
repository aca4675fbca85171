package io.jemq.auth.http;

import io.jemq.api.ParamsTemplate;
import io.jemq.api.Placeholder;
import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One configured request: {@code auth_req}, {@code super_req} or {@code acl_req} with its URL, method, headers and
 * parameters. Per check it builds the {@link HttpRequest} with the parameters filled as bound values: a form body,
 * a JSON object or a query string, never text pasted into a template. Immutable and thread-safe; part of an
 * {@link HttpAuthSettings} snapshot.
 *
 * @param kind    which request this is
 * @param enabled {@code auth.http.<req>.enable}: off keeps the URL but asks nothing (the dashboard's toggle)
 * @param url     where it goes, http or https; null when not configured (then it asks nothing)
 * @param method  GET sends the parameters as a query string, POST and PUT as a body
 * @param headers sent as configured, in order ({@code content-type} chooses the body's encoding)
 * @param params  name → template, in order
 */
public record HttpRequestSpec(Kind kind, boolean enabled, URI url, Method method, Map<String, String> headers,
                              ParamsTemplate params) {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String JSON = "application/json";

    /** The three requests of EMQ's and EMQX Edge's HTTP plugin. */
    public enum Kind {
        /** Asked at CONNECT: may this client in? */
        AUTH_REQ,
        /** Asked at CONNECT after an allow (EMQ), or on each publish and subscribe when it uses %A or %t (Edge). */
        SUPER_REQ,
        /** Asked on each publish and subscribe the cache does not answer. */
        ACL_REQ;

        /** {@code auth_req}: the key segment and the counters' first word. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The methods EMQ and EMQX Edge send. */
    public enum Method { GET, POST, PUT }

    public HttpRequestSpec {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Whether it is configured and switched on. */
    public boolean active() {
        return enabled && url != null;
    }

    /** Whether its parameters name the topic or the access: then a super_req is asked per check (EMQX Edge). */
    public boolean perCheck() {
        return params.templates().values().stream().anyMatch(t -> t.slots().contains(Placeholder.TOPIC)
                || t.slots().contains(Placeholder.ACCESS));
    }

    /** The configured content type when it is JSON or a form; otherwise a form (EMQ 2.x sent nothing else). */
    String contentType() {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("content-type")) {
                String type = h.getValue().strip().toLowerCase(Locale.ROOT);
                return type.startsWith(JSON) || type.startsWith(FORM) ? h.getValue().strip() : FORM;
            }
        }
        return FORM;
    }

    private boolean json() {
        return contentType().toLowerCase(Locale.ROOT).startsWith(JSON);
    }

    /** The request for one check; a GET carries the parameters in its query (JSON or not, as EMQX Edge does). */
    HttpRequest request(PlaceholderValues values, Duration timeout) {
        Map<String, String> filled = params.values(values);
        HttpRequest.Builder b;
        if (method == Method.GET) {
            String query = Placeholders.formEncode(filled);
            String base = url.toString();
            URI target = query.isEmpty() ? url : URI.create(base + (url.getRawQuery() == null ? "?" : "&") + query);
            b = HttpRequest.newBuilder(target).GET();
        } else {
            String body = json() ? Placeholders.jsonObject(filled) : Placeholders.formEncode(filled);
            b = HttpRequest.newBuilder(url).method(method.name(),
                    HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            b.header("Content-Type", contentType());
        }
        b.setHeader("User-Agent", "jemq");                   // not the JDK's: the server's log should say who asks
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("content-type")) {
                b.setHeader(name, value);
            }
        });
        return b.timeout(timeout).build();
    }
}
