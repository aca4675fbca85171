package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.Broker;
import io.jemq.api.ConfigException;
import io.jemq.config.ConfFile;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;
import io.jemq.util.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration: {@code configs} and {@code nodes/{node}/configs} list the keys of {@code etc/emq.conf} as the broker
 * read them ({@code {key,value,datatpye,app}}, EMQ's spelling kept); secrets (passwords, cookies, keys) are shown as
 * {@code ******}. jemq reads {@code emq.conf} once, so {@code PUT configs/{app}} is refused (400, code 102) with a
 * message saying to edit the file. {@code nodes/{node}/plugin_configs/{app}} reads a plugin's {@code etc/plugins/
 * <app>.conf} ({@code {key,value,desc,required}}) and PUT (a JSON object of keys and values) rewrites the values in
 * that file, keeping its comments, and reloads the plugin when it is loaded.
 */
public final class ConfigsApi {
    private static final Pattern LINE_KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\\-]+)\\s*=");
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9_\\-]+");

    private final Broker broker;
    private final Node node;

    public ConfigsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/configs", this::configs)
                .get("/api/v2/nodes/{node}/configs", this::configs)
                .put("/api/v2/configs/{app}", this::refuseChange)
                .put("/api/v2/nodes/{node}/configs/{app}", this::refuseChange)
                .get("/api/v2/nodes/{node}/plugin_configs/{app}", this::pluginConfig)
                .put("/api/v2/nodes/{node}/plugin_configs/{app}", this::changePluginConfig);
    }

    private CompletionStage<?> configs(Call c) {
        node.check(c);
        ConfFile file = broker.settings().file();
        List<Map<String, Object>> out = new ArrayList<>();
        file.keys().stream().sorted().forEach(k -> out.add(entry(k, file.string(k, ""), "emqttd")));
        return CompletableFuture.completedFuture(out);
    }

    private CompletionStage<?> refuseChange(Call c) {
        node.check(c);
        c.json();
        throw ApiError.badRequest(ApiError.UNKNOWN, "jemq reads etc/emq.conf at start: edit the file and restart "
                + "(plugin settings: PUT /api/v2/nodes/{node}/plugin_configs/{app})");
    }

    private CompletionStage<?> pluginConfig(Call c) {
        node.check(c);
        Path file = pluginFile(c.param("app"));
        ConfFile conf = ConfFile.load(file);
        List<Map<String, Object>> out = new ArrayList<>();
        conf.keys().stream().sorted().forEach(k -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", k);
            m.put("value", secret(k) ? "******" : conf.string(k, ""));
            m.put("desc", "");
            m.put("required", true);
            out.add(m);
        });
        return CompletableFuture.completedFuture(out);
    }

    private CompletionStage<?> changePluginConfig(Call c) throws IOException {
        node.check(c);
        String app = c.param("app");
        Path file = pluginFile(app);
        JsonNode body = c.json();
        Map<String, String> changes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!LINE_KEY.matcher(e.getKey() + "=").matches() || e.getValue().isContainerNode()
                    || e.getValue().asText().contains("\n")) {
                throw ApiError.type(e.getKey(), "a key with a one-line value");
            }
            changes.put(e.getKey(), e.getValue().asText());
        }
        byte[] before = Files.readAllBytes(file);
        AtomicFiles.write(file, rewrite(new String(before, StandardCharsets.UTF_8), changes)
                .getBytes(StandardCharsets.UTF_8));
        if (broker.plugins().list().stream().anyMatch(p -> p.name().equals(app) && p.active())) {
            reload(app, file, before);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Unload and load again; a new config that does not load puts the old file back and loads that. */
    private void reload(String app, Path file, byte[] before) throws IOException {
        broker.plugins().unload(app);
        try {
            broker.plugins().load(app);
        } catch (ConfigException e) {
            AtomicFiles.write(file, before);
            broker.plugins().load(app);
            throw ApiError.badRequest(ApiError.PARAM_TYPE, "not applied, the old settings stay: " + e.getMessage());
        }
    }

    /** The file with each changed key's line replaced (its first one) and new keys appended. */
    static String rewrite(String text, Map<String, String> changes) {
        Map<String, String> left = new LinkedHashMap<>(changes);
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher m = LINE_KEY.matcher(line);
            if (m.find() && left.containsKey(m.group(1))) {
                out.append(m.group(1)).append(" = ").append(left.remove(m.group(1))).append('\n');
            } else {
                out.append(line).append('\n');
            }
        }
        out.setLength(out.length() - 1);
        left.forEach((k, v) -> out.append(out.length() == 0 || out.charAt(out.length() - 1) == '\n' ? "" : "\n")
                .append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }

    private Path pluginFile(String app) {
        Path file = broker.settings().access().pluginsEtcDir().resolve(app + ".conf");
        if (!APP.matcher(app).matches() || !Files.isRegularFile(file)) {
            throw ApiError.notFound(ApiError.UNKNOWN, "no config file for plugin " + app);
        }
        return file;
    }

    private static Map<String, Object> entry(String key, String value, String app) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", secret(key) ? "******" : value);
        m.put("datatpye", "string");
        m.put("app", app);
        return m;
    }

    static boolean secret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("cookie") || k.endsWith("keyfile")
                || k.endsWith(".key");
    }

}
