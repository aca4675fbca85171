package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.access.AclExplainer;
import io.jemq.access.AclFile;
import io.jemq.access.AclExplanation;
import io.jemq.api.Access;
import io.jemq.api.Authorizer;
import io.jemq.api.ConfigException;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authorization as an operator looks at it: {@code GET acl/explain} (why a publish or subscribe is allowed or denied,
 * changing no cache), {@code GET acl} (acl.conf's text and the order the sources are asked in) and
 * {@code POST acl/reload} (as {@code ctl acl reload}). Runs on the API's threads.
 */
public final class AclApi {
    private final Broker broker;

    public AclApi(Broker broker) {
        this.broker = broker;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/acl/explain", this::explain)
                .get("/api/v2/acl", c -> CompletableFuture.completedFuture(state()))
                .post("/api/v2/acl/reload", c -> {
                    try {
                        broker.access().acl().internal().reload();
                    } catch (ConfigException e) {
                        throw ApiError.badRequest(ApiError.UNKNOWN, "acl.conf not reloaded, the old rules stay in "
                                + "force: " + e.getMessage());
                    }
                    broker.access().acl().clearCaches();
                    return CompletableFuture.completedFuture(state());
                });
    }

    private Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        AclFile file = broker.access().acl().internal();
        m.put("file", file.file() == null ? null : file.file().toString());
        m.put("rules", file.ruleCount());
        m.put("text", file.text());
        m.put("acl_nomatch", broker.settings().access().aclNomatch().toString().toLowerCase(Locale.ROOT));
        m.put("acl_sources", broker.access().acl().sources().stream().map(Authorizer::name).toList());
        m.put("auth_plugins", broker.plugins().askOrder());
        return m;
    }

    private CompletionStage<AclExplanation> explain(Call c) {
        String topic = c.query("topic").filter(t -> !t.isEmpty()).orElseThrow(() -> ApiError.missing("topic"));
        Access access;
        try {
            access = AclExplainer.access(c.query("access").orElseThrow(() -> ApiError.missing("access")));
        } catch (IllegalArgumentException e) {
            throw ApiError.type("access", "publish or subscribe");
        }
        AclExplainer explainer = broker.aclExplainer();
        String clientId = c.query("clientid").orElse("");
        if (!clientId.isEmpty()) {
            return explainer.byClientId(clientId, access, topic);
        }
        String username = c.query("username").orElse("");
        if (username.isEmpty()) {
            throw ApiError.missing("clientid or username");
        }
        try {
            return explainer.byUsername(username, c.query("ipaddress").orElse(null), access, topic);
        } catch (IllegalArgumentException e) {
            throw ApiError.type("ipaddress", "an IP address");
        }
    }
}
