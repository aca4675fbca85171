package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.Broker;
import io.jemq.api.ControlCommand;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Json;
import io.jemq.mgmt.http.Routes;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in username and client id stores (plugins {@code emq_auth_username} and {@code emq_auth_clientid}), in
 * EMQX 4's shape: {@code GET auth_username} (the names), {@code POST auth_username} ({@code {"username","password"}}),
 * {@code PUT auth_username/{name}} ({@code {"password"}}), {@code DELETE auth_username/{name}}; the same under
 * {@code auth_clientid} with {@code "clientid"}. Each runs the plugin's own ctl command ({@code users},
 * {@code clientids}), so the API and {@code bin/jemq ctl} cannot differ; a plugin that is not loaded is 404 (111), a
 * refusal is 400 with the command's words. Runs on the API's threads.
 */
public final class CredentialsApi {
    private final Broker broker;

    public CredentialsApi(Broker broker) {
        this.broker = broker;
    }

    public void register(Routes routes) {
        store(routes, "auth_username", "users", "username", "emq_auth_username");
        store(routes, "auth_clientid", "clientids", "clientid", "emq_auth_clientid");
    }

    private void store(Routes routes, String path, String command, String field, String plugin) {
        String base = "/api/v2/" + path;
        routes.get(base, c -> run(command, plugin, List.of("list")).thenApply(out -> out.isEmpty() ? List.of()
                        : List.of(out.split("\n"))))
                .post(base, c -> {
                    JsonNode body = c.json();
                    return run(command, plugin, List.of("add", Json.text(body, field), Json.text(body, "password")))
                            .thenApply(out -> null);
                })
                .put(base + "/{name}", c -> run(command, plugin, List.of("passwd", c.param("name"),
                        Json.text(c.json(), "password"))).thenApply(out -> null))
                .delete(base + "/{name}", c -> run(command, plugin, List.of("del", c.param("name")))
                        .thenApply(out -> null));
    }

    private CompletionStage<String> run(String command, String plugin, List<String> args) {
        ControlCommand c = broker.commands().find(command).orElseThrow(() -> ApiError.notFound(
                ApiError.PLUGIN_NOT_STARTED, "plugin " + plugin + " is not loaded"));
        StringWriter text = new StringWriter();
        int code;
        try (PrintWriter out = new PrintWriter(text)) {
            code = c.run(new ArrayList<>(args), out);
        }
        String said = text.toString().strip();
        if (code != 0) {
            throw ApiError.badRequest(ApiError.UNKNOWN, said);
        }
        return CompletableFuture.completedFuture(said);
    }
}
