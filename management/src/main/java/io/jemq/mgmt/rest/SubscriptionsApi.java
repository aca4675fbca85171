package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Page;
import io.jemq.mgmt.http.Routes;
import io.jemq.routing.RouteSnapshot;
import io.jemq.session.SessionSnapshot;
import io.jemq.session.SubscriptionSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Subscriptions and routes: {@code nodes/{node}/subscriptions[/{id}]}, {@code subscriptions/{id}} ({@code
 * {client_id,topic,qos}}, shared ones with their {@code $share/group/} prefix) and {@code routes[/{topic}]}
 * ({@code {topic,node}}; a topic with slashes is sent URL-encoded: {@code routes/a%2Fb}). Paged.
 */
public final class SubscriptionsApi {
    private final Broker broker;
    private final Node node;

    public SubscriptionsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/nodes/{node}/subscriptions", c -> {
            node.check(c);
            return all().thenApply(subs -> Page.of(c, subs));
        })
                .get("/api/v2/nodes/{node}/subscriptions/{id}", this::ofClient)
                .get("/api/v2/subscriptions/{id}", this::ofClient)
                .get("/api/v2/routes", c -> CompletableFuture.completedFuture(Page.of(c, routes(null))))
                .get("/api/v2/routes/{topic}", c -> CompletableFuture.completedFuture(Page.of(c,
                        routes(c.param("topic")))));
    }

    private CompletionStage<Page> ofClient(Call c) {
        node.check(c);
        return broker.sessionsView().subscriptions(c.param("id"))
                .thenApply(subs -> Page.of(c, subs.stream().map(SubscriptionsApi::subscription).toList()));
    }

    /** Every session's subscriptions, by client id and then in the order made. */
    private CompletableFuture<List<Map<String, Object>>> all() {
        return broker.sessionsView().sessions().thenCompose(sessions -> {
            List<CompletableFuture<List<SubscriptionSnapshot>>> each = new ArrayList<>();
            for (SessionSnapshot s : sessions) {
                each.add(broker.sessionsView().subscriptions(s.clientId()));
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<Map<String, Object>> out = new ArrayList<>();
                each.forEach(f -> f.join().forEach(s -> out.add(subscription(s))));
                return out;
            });
        });
    }

    private List<Map<String, Object>> routes(String topic) {
        List<Map<String, Object>> out = new ArrayList<>();
        broker.router().routes().stream().sorted(Comparator.comparing(RouteSnapshot::filter))
                .filter(r -> topic == null || r.filter().equals(topic))
                .forEach(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("topic", r.filter());
                    m.put("node", node.name());
                    out.add(m);
                });
        return out;
    }

    private static Map<String, Object> subscription(SubscriptionSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", s.clientId());
        m.put("topic", s.filter());
        m.put("qos", s.qos());
        return m;
    }
}
