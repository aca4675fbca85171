package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;
import io.jemq.sys.Alarms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The alarms raised now ({@link Broker#alarms()}): {@code nodes/{node}/alarms} and {@code alarms}, as EMQ's
 * {@code {id,severity,title,summary,occurred_at}}. jemq's alarms have one message and one severity (warning).
 */
public final class AlarmsApi {
    private final Broker broker;
    private final Node node;

    public AlarmsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/nodes/{node}/alarms", this::list)
                .get("/api/v2/alarms", this::list);
    }

    private CompletionStage<List<Map<String, Object>>> list(Call c) {
        node.check(c);
        return CompletableFuture.completedFuture(broker.alarms().active().stream().map(AlarmsApi::alarm).toList());
    }

    private static Map<String, Object> alarm(Alarms.Alarm a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("severity", "warning");
        m.put("title", a.id());
        m.put("summary", a.message());
        m.put("occurred_at", Node.datetime(a.raisedAtMillis()));
        return m;
    }
}
