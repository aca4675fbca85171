package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.Broker;
import io.jemq.api.ConfigException;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Json;
import io.jemq.mgmt.http.Routes;
import io.jemq.plugin.Plugins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Plugins: {@code nodes/{node}/plugins} (GET: {@code {name,version,description,active}}) and
 * {@code nodes/{node}/plugins/{name}} (PUT {@code {"active":true|false}}: load or unload, remembered in
 * {@code data/loaded_plugins} like {@code ctl plugins load}). Loading one that is loaded is EMQ's 110, unloading one
 * that is not 111, a plugin whose config is broken 400 with the file, line and key.
 */
public final class PluginsApi {
    private final Broker broker;
    private final Node node;

    public PluginsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/nodes/{node}/plugins", this::list)
                .get("/api/v2/plugins", this::list)
                .put("/api/v2/nodes/{node}/plugins/{name}", this::activate);
    }

    private CompletionStage<?> list(Call c) {
        node.check(c);
        return CompletableFuture.completedFuture(broker.plugins().list().stream().map(PluginsApi::plugin).toList());
    }

    private CompletionStage<?> activate(Call c) {
        node.check(c);
        JsonNode body = c.json();
        if (body.get("active") == null) {
            throw ApiError.missing("active");
        }
        boolean active = Json.bool(body, "active", false);
        String name = c.param("name");
        Plugins.Info info = broker.plugins().list().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiError.notFound(ApiError.UNKNOWN, "no plugin named " + name));
        if (active == info.active()) {
            throw ApiError.badRequest(active ? ApiError.PLUGIN_STARTED : ApiError.PLUGIN_NOT_STARTED,
                    "plugin " + name + (active ? " is already loaded" : " is not loaded"));
        }
        try {
            if (active) {
                broker.plugins().load(name);
            } else {
                broker.plugins().unload(name);
            }
        } catch (ConfigException e) {
            throw ApiError.badRequest(ApiError.UNKNOWN, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(active ? ApiError.PLUGIN_STARTED : ApiError.PLUGIN_NOT_STARTED, e.getMessage());
        }
        return CompletableFuture.completedFuture(null);
    }

    static Map<String, Object> plugin(Plugins.Info p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("version", p.version());
        m.put("description", p.description());
        m.put("active", p.active());
        return m;
    }

}
