package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.Broker;
import io.jemq.api.LiveSettings;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A loaded plugin's run-time settings ({@link LiveSettings}): {@code GET plugins/{name}/settings} gives the keys and
 * values in effect, {@code PUT} with {@code {"key":"value"|null,...}} changes them at once and writes the plugin's
 * config file (a null removes the key). What the dashboard's Authorization → Extended page edits for
 * {@code emq_auth_http}. A plugin that is not loaded, or has no live settings, is 404; a wrong value is 400 naming
 * the key, and nothing changes. Runs on the API's threads.
 */
public final class PluginSettingsApi {
    private final Broker broker;
    private final Node node;

    public PluginSettingsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/plugins/{name}/settings", c -> CompletableFuture.completedFuture(live(c).current()))
                .get("/api/v2/nodes/{node}/plugins/{name}/settings", c -> {
                    node.check(c);
                    return CompletableFuture.completedFuture(live(c).current());
                })
                .put("/api/v2/plugins/{name}/settings", c -> CompletableFuture.completedFuture(update(c)));
    }

    private LiveSettings live(Call c) {
        String name = c.param("name");
        return broker.plugins().liveSettings(name).orElseThrow(() -> ApiError.notFound(ApiError.PLUGIN_NOT_STARTED,
                "plugin " + name + " is not loaded or has no run-time settings"));
    }

    private Map<String, String> update(Call c) {
        LiveSettings live = live(c);
        JsonNode body = c.json();
        Map<String, String> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isNull() && !v.isValueNode()) {
                throw ApiError.type(e.getKey(), "a string or null");
            }
            changes.put(e.getKey(), v.isNull() ? null : v.asText());
        }
        return live.update(changes);
    }
}
