package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.cluster.NodeDirectory;
import io.jemq.cluster.NodeDirectory.Report;
import io.jemq.config.ListenerSettings;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;
import io.jemq.protocol.ClientSnapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code management/nodes}, {@code monitoring/nodes}, {@code monitoring/listeners}, {@code monitoring/metrics} and
 * {@code monitoring/stats}, each for every node and for one ({@code .../{node}}), in EMQ 2.3's shapes. This node comes
 * first, read now; in a cluster the other nodes follow with the figures they last shared (through the broker's
 * {@link NodeDirectory}, filled by the cluster module), and a node gone without leaving as stopped. Listeners are
 * this node's only.
 */
public final class NodesApi {
    private final Broker broker;
    private final Node node;
    private final NodeFigures figures;
    private final NodeDirectory directory;

    public NodesApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
        this.figures = new NodeFigures(broker, node);
        this.directory = broker.cluster().nodes();
    }

    public void register(Routes routes) {
        directory.localFigures(figures::report);
        routes.get("/api/v2/management/nodes", c -> done(everyNode(figures::info,
                        r -> NodeFigures.of(r, NodeFigures.INFO))))
                .get("/api/v2/management/nodes/{node}", c -> done(oneNode(c, figures::info,
                        r -> NodeFigures.of(r, NodeFigures.INFO))))
                .get("/api/v2/monitoring/nodes", c -> done(everyNode(figures::monitoring,
                        r -> NodeFigures.of(r, NodeFigures.MONITORING))))
                .get("/api/v2/monitoring/nodes/{node}", c -> done(oneNode(c, figures::monitoring,
                        r -> NodeFigures.of(r, NodeFigures.MONITORING))))
                .get("/api/v2/monitoring/listeners", c -> listeners().thenApply(l -> List.of(Map.of(node.name(), l))))
                .get("/api/v2/monitoring/listeners/{node}", c -> {
                    node.check(c);
                    return listeners();
                })
                .get("/api/v2/monitoring/metrics", c -> done(perNode(broker.counters()::snapshot, NodeFigures.METRICS)))
                .get("/api/v2/monitoring/metrics/{node}", c -> done(oneNode(c, broker.counters()::snapshot,
                        r -> NodeFigures.counters(running(r), NodeFigures.METRICS))))
                .get("/api/v2/monitoring/stats", c -> done(perNode(broker.counters()::stats, NodeFigures.STATS)))
                .get("/api/v2/monitoring/stats/{node}", c -> done(oneNode(c, broker.counters()::stats,
                        r -> NodeFigures.counters(running(r), NodeFigures.STATS))));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** This node's object first, then every other node's. */
    private List<Object> everyNode(Supplier<Object> local, Function<Report, Object> other) {
        List<Object> out = new ArrayList<>();
        out.add(local.get());
        directory.others().forEach(r -> out.add(other.apply(r)));
        return out;
    }

    /** {@code [{"<node>": {...}}, ...]}: this node's counters, then those of every running node. */
    private List<Object> perNode(Supplier<Map<String, Long>> local, String section) {
        List<Object> out = new ArrayList<>();
        out.add(Map.of(node.name(), local.get()));
        for (Report r : directory.others()) {
            if (r.running()) {
                out.add(Map.of(r.node(), NodeFigures.counters(r, section)));
            }
        }
        return out;
    }

    /** The object of the node the path names: this one, another the cluster knows, or 101. */
    private Object oneNode(Call c, Supplier<Object> local, Function<Report, Object> other) {
        String asked = c.pathParams().get("node");
        if (asked.equals(node.name())) {
            return local.get();
        }
        for (Report r : directory.others()) {
            if (r.node().equals(asked)) {
                return other.apply(r);
            }
        }
        throw ApiError.notFound(ApiError.BAD_RPC, "no such node: " + asked);
    }

    private static Report running(Report r) {
        if (!r.running()) {
            throw ApiError.notFound(ApiError.BAD_RPC, "node " + r.node() + " is stopped");
        }
        return r;
    }

    private CompletableFuture<List<Map<String, Object>>> listeners() {
        return broker.clients().list().thenApply(clients -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ListenerSettings l : broker.settings().listeners()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("protocol", "mqtt:" + l.protocol());
                m.put("listen", l.host() + ":" + boundPort(l));
                m.put("acceptors", l.acceptors());
                m.put("max_clients", l.maxClients());
                m.put("current_clients", clients.stream().map(ClientSnapshot::listenerId)
                        .filter(l.id()::equals).count());
                m.put("shutdown_count", List.of());
                out.add(m);
            }
            return out;
        });
    }

    private int boundPort(ListenerSettings l) {
        try {
            return broker.boundPort(l.id());
        } catch (RuntimeException notBound) {
            return l.port();
        }
    }
}
