package io.jemq.mgmt.http;

import io.jemq.mgmt.admin.AdminSessions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's session cookie on a request: who it belongs to, and the CSRF rule. A call that changes something
 * (any method but GET and HEAD) must also carry the session's token in {@code X-Jemq-Csrf}: a page of another site
 * can make the browser send the cookie (SameSite=Strict already stops most), never that header. Used by
 * {@link RequestHandler} on the API's threads and by the dashboard's static files.
 */
public final class SessionCookie {
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    private SessionCookie() {
    }

    /** The session the cookie names, if live (its expiry moved on). */
    public static Optional<AdminSessions.Session> session(AdminSessions sessions, Call call) {
        String header = call.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return Optional.empty();
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
            if (c.name().equals(AdminSessions.COOKIE)) {
                return sessions.touch(c.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The admin of the call's session; empty without a live session.
     *
     * @throws ApiError 403 when the session is live but a state-changing call lacks its CSRF token
     */
    public static Optional<String> admin(AdminSessions sessions, Call call) {
        Optional<AdminSessions.Session> s = session(sessions, call);
        if (s.isPresent() && !SAFE.contains(call.method())
                && !s.get().csrf().equals(call.headers().get(AdminSessions.CSRF_HEADER))) {
            throw new ApiError(403, ApiError.BAD_LOGIN, "a call that changes something needs the session's "
                    + AdminSessions.CSRF_HEADER + " header");
        }
        return s.map(AdminSessions.Session::admin);
    }

    /** The Set-Cookie value that opens the session in the browser, for as long as it may stay idle. */
    public static String setCookie(AdminSessions.Session s, long maxAgeSeconds, boolean secure) {
        return AdminSessions.COOKIE + "=" + s.id() + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + maxAgeSeconds
                + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that removes it. */
    public static String clearCookie() {
        return AdminSessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }
}
