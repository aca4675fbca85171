package io.jemq.mgmt.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's route table: method and path pattern ({@code /api/v2/clients/{id}}) to an {@link Endpoint}, each with
 * whether it needs an admin. Filled by each API class when the module starts, read by {@link RequestHandler} on any
 * thread afterwards (not changed then).
 */
public final class Routes {

    /** Who may call a route. */
    public enum Guard {
        /** HTTP Basic with a dashboard admin (EMQ's {@code emqttd_mgmt:check_user}). */
        ADMIN,
        /** No credentials, or the endpoint checks them itself ({@code /mqtt/publish}, {@code /api/v2/auth}). */
        OPEN
    }

    /** One route. */
    public record Route(String method, String pattern, String[] segments, Guard guard, Endpoint endpoint) {
    }

    /** A route that matched a request, with its path parameters. */
    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();
    private Route fallback;

    public Routes add(String method, String pattern, Guard guard, Endpoint endpoint) {
        routes.add(new Route(method, pattern, split(pattern), guard, endpoint));
        return this;
    }

    public Routes get(String pattern, Endpoint endpoint) {
        return add("GET", pattern, Guard.ADMIN, endpoint);
    }

    public Routes post(String pattern, Endpoint endpoint) {
        return add("POST", pattern, Guard.ADMIN, endpoint);
    }

    public Routes put(String pattern, Endpoint endpoint) {
        return add("PUT", pattern, Guard.ADMIN, endpoint);
    }

    public Routes delete(String pattern, Endpoint endpoint) {
        return add("DELETE", pattern, Guard.ADMIN, endpoint);
    }

    /** Every route of {@code other}, after this table's own (the dashboard serves the REST API's routes too). */
    public Routes addAll(Routes other) {
        routes.addAll(other.routes);
        return this;
    }

    /**
     * What answers a GET that no route matches (the dashboard's static files); open, so it checks any session
     * itself.
     */
    public Routes fallback(Endpoint endpoint) {
        fallback = new Route("GET", "/**", new String[0], Guard.OPEN, endpoint);
        return this;
    }

    /** Every route as {@code GET /api/v2/clients/{id}}, for {@code GET /api/v2/}. */
    public List<String> describe() {
        return routes.stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    /**
     * The route for a request whose path is given as its decoded segments ({@code %2F} inside a segment stays a
     * slash of that segment: {@code /api/v2/routes/a%2Fb} is the topic {@code a/b}).
     */
    public Optional<Match> find(String method, List<String> path) {
        Optional<Match> found = findRoute(method, path);
        if (found.isEmpty() && fallback != null && (method.equals("GET") || method.equals("HEAD"))) {
            return Optional.of(new Match(fallback, Map.of()));
        }
        return found;
    }

    private Optional<Match> findRoute(String method, List<String> path) {
        for (Route r : routes) {
            if (!r.method().equals(method) || r.segments().length != path.size()) {
                continue;
            }
            Map<String, String> params = match(r.segments(), path);
            if (params != null) {
                return Optional.of(new Match(r, params));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> match(String[] pattern, List<String> path) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path.get(i));
            } else if (!p.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String pattern) {
        String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
