package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.mgmt.admin.Admin;
import io.jemq.mgmt.admin.AdminStore;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Json;
import io.jemq.mgmt.http.Routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The API's admins (EMQ's dashboard users): {@code users} (GET, POST {@code {username,password,tags}}),
 * {@code users/{name}} (GET, PUT {@code {tags}}, DELETE; {@code admin} cannot be deleted: 106), {@code auth} (POST
 * {@code {username,password}}, open: answers 0 or 103) and {@code change_pwd/{name}} (PUT {@code {old_pwd,new_pwd}};
 * a wrong old password is 114). While {@code admin} has the shipped password, {@code auth} and {@code users} say so in
 * {@code "warning"}.
 */
public final class AdminsApi {
    private final AdminStore store;

    public AdminsApi(AdminStore store) {
        this.store = store;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/users", c -> done(store.list().stream().map(AdminsApi::admin).toList()))
                .post("/api/v2/users", this::add)
                .get("/api/v2/users/{name}", c -> done(admin(store.get(c.param("name")).orElseThrow(() -> noUser(c)))))
                .put("/api/v2/users/{name}", c -> {
                    if (!store.updateTags(c.param("name"), Json.optionalText(c.json(), "tags").orElse(""))) {
                        throw noUser(c);
                    }
                    return done(null);
                })
                .delete("/api/v2/users/{name}", this::remove)
                .add("POST", "/api/v2/auth", Routes.Guard.OPEN, this::auth)
                .put("/api/v2/change_pwd/{name}", this::changePassword);
    }

    private CompletionStage<?> add(Call c) {
        JsonNode body = c.json();
        String username = Json.text(body, "username");
        String password = Json.text(body, "password");
        if (!store.add(username, password, Json.optionalText(body, "tags").orElse(""))) {
            throw ApiError.badRequest(ApiError.USER_EXISTS, "user " + username + " already exists");
        }
        return done(null);
    }

    private CompletionStage<?> remove(Call c) {
        String name = c.param("name");
        if (AdminStore.DEFAULT_USER.equals(name)) {
            throw ApiError.badRequest(ApiError.ADMIN_UNDELETABLE, "the admin user cannot be deleted");
        }
        if (!store.remove(name)) {
            throw noUser(c);
        }
        return done(null);
    }

    private CompletionStage<?> auth(Call c) {
        JsonNode body = c.json();
        String username = Json.optionalText(body, "username").orElse("");
        String password = Json.optionalText(body, "password").orElse("");
        if (username.isEmpty() || password.isEmpty()) {
            throw ApiError.badRequest(ApiError.EMPTY_LOGIN, "username and password are required");
        }
        if (!store.check(username, password)) {
            throw new ApiError(401, ApiError.BAD_LOGIN, "bad username or password");
        }
        return done(warning());
    }

    private CompletionStage<?> changePassword(Call c) {
        JsonNode body = c.json();
        String name = c.param("name");
        String oldPassword = Json.text(body, "old_pwd");
        String newPassword = Json.text(body, "new_pwd");
        if (store.get(name).isEmpty()) {
            throw noUser(c);
        }
        if (!store.check(name, oldPassword)) {
            throw ApiError.badRequest(ApiError.OLD_PASSWORD_WRONG, "the old password is wrong");
        }
        store.setPassword(name, newPassword);
        return done(null);
    }

    /** Null once the shipped password is changed. */
    private Map<String, Object> warning() {
        if (!store.defaultPasswordInUse()) {
            return null;
        }
        return Map.of("warning", "admin still has the shipped password \"public\": change it with "
                + "PUT /api/v2/change_pwd/admin or bin/jemq ctl admins passwd admin <Password>");
    }

    private static ApiError noUser(Call c) {
        return ApiError.notFound(ApiError.NO_USER, "no such user: " + c.param("name"));
    }

    private static Map<String, Object> admin(Admin a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", a.username());
        m.put("tags", a.tags());
        return m;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
