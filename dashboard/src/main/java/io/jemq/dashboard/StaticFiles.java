package io.jemq.dashboard;

import io.jemq.mgmt.admin.AdminSessions;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Reply;
import io.jemq.mgmt.http.SessionCookie;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-page app's files, from the jar: {@code io/jemq/dashboard/www/} and the uPlot WebJar under
 * {@code /webjars/uplot/}. Only the login page and what it loads are served without a session; a page asked for
 * without one is sent to {@code /login.html}, any other file is 401. Files are read once and kept (they are small and
 * never change while the broker runs). Called on the API's threads.
 */
final class StaticFiles {
    private static final String ROOT = "io/jemq/dashboard/www";
    private static final String WEBJARS = "META-INF/resources/webjars/";
    private static final Set<String> PUBLIC = Set.of("/login.html", "/login.js", "/style.css", "/favicon.svg");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "json", "application/json");
    /** No framing by other sites, no inline scripts or other origins: the app needs none. */
    private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
            + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private final AdminSessions sessions;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    StaticFiles(AdminSessions sessions) {
        this.sessions = sessions;
    }

    CompletionStage<Reply> serve(Call call) {
        String path = call.path().equals("/") ? "/index.html" : call.path();
        if (!PUBLIC.contains(path) && SessionCookie.session(sessions, call).isEmpty()) {
            return CompletableFuture.completedFuture(path.endsWith(".html")
                    ? new Reply(302, "text/plain", new byte[0], Map.of("Location", "/login.html"))
                    : Reply.text(401, "log in first"));
        }
        String resource = resource(path);
        byte[] body = resource == null ? null : read(resource);
        if (body == null) {
            return CompletableFuture.completedFuture(Reply.text(404, "Not Found"));
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        return CompletableFuture.completedFuture(new Reply(200, TYPES.getOrDefault(ext, "application/octet-stream"),
                body, Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                "Content-Security-Policy", CSP, "Referrer-Policy", "no-referrer")));
    }

    /** The class-path name of a request path; null for anything outside the app and uPlot (or with {@code ..}). */
    private static String resource(String path) {
        if (path.contains("..") || path.contains("//") || path.indexOf('.') < 0) {
            return null;
        }
        if (path.startsWith("/webjars/uplot/")) {
            return WEBJARS + path.substring("/webjars/".length());
        }
        return ROOT + path;
    }

    private byte[] read(String resource) {
        byte[] cached = cache.get(resource);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] body = in.readAllBytes();
            cache.put(resource, body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
