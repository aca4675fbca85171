package io.jemq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.mgmt.admin.AdminSessions;
import io.jemq.mgmt.admin.AdminStore;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Json;
import io.jemq.mgmt.http.Reply;
import io.jemq.mgmt.http.Routes;
import io.jemq.mgmt.http.SessionCookie;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logging in to the dashboard with the REST API's admins: {@code POST /api/v2/dashboard/login}
 * ({@code {"username","password"}}: opens a session, sets its cookie, answers the CSRF token),
 * {@code GET /api/v2/dashboard/session} (who is logged in, and the token again after a page reload) and
 * {@code POST /api/v2/dashboard/logout}. Runs on the API's threads.
 */
final class LoginApi {
    private final AdminStore admins;
    private final AdminSessions sessions;

    LoginApi(AdminStore admins, AdminSessions sessions) {
        this.admins = admins;
        this.sessions = sessions;
    }

    void register(Routes routes) {
        routes.add("POST", "/api/v2/dashboard/login", Routes.Guard.OPEN, this::login)
                .add("GET", "/api/v2/dashboard/session", Routes.Guard.OPEN, c -> {
                    AdminSessions.Session s = SessionCookie.session(sessions, c).orElseThrow(() ->
                            new ApiError(401, ApiError.EMPTY_LOGIN, "not logged in"));
                    return CompletableFuture.completedFuture(who(s));
                })
                .add("POST", "/api/v2/dashboard/logout", Routes.Guard.OPEN, c -> {
                    SessionCookie.admin(sessions, c);              // a live session must show its CSRF token
                    SessionCookie.session(sessions, c).ifPresent(s -> sessions.close(s.id()));
                    return CompletableFuture.completedFuture(Reply.json(200, Map.of("code", 0))
                            .withHeader("Set-Cookie", SessionCookie.clearCookie()));
                });
    }

    private CompletionStage<Reply> login(Call c) {
        JsonNode body = c.json();
        String user = Json.text(body, "username");
        String password = Json.text(body, "password");
        if (!admins.check(user, password)) {
            throw new ApiError(401, ApiError.BAD_LOGIN, "bad username or password");
        }
        AdminSessions.Session s = sessions.open(user);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("code", 0);
        answer.put("result", who(s));
        return CompletableFuture.completedFuture(Reply.json(200, answer).withHeader("Set-Cookie",
                SessionCookie.setCookie(s, sessions.idle().toSeconds(), false)));
    }

    private Map<String, Object> who(AdminSessions.Session s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", s.admin());
        m.put("csrf", s.csrf());
        m.put("default_password", admins.defaultPasswordInUse() && s.admin().equals(AdminStore.DEFAULT_USER));
        return m;
    }
}
