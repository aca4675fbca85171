package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Page;
import io.jemq.mgmt.http.Routes;
import io.jemq.protocol.ClientSnapshot;
import io.jemq.session.SessionSnapshot;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Connected clients and sessions: {@code nodes/{node}/clients[/{id}]}, {@code clients/{id}} (GET; DELETE kicks the
 * client), {@code clients/{id}/clean_acl_cache} (PUT), {@code nodes/{node}/sessions[/{id}]} and {@code sessions/{id}}.
 * Lists are paged and sorted by client id; every figure is a snapshot taken on the client's own event loop
 * ({@link Broker#clients()}, {@link Broker#sessionsView()}).
 */
public final class ClientsApi {
    private final Broker broker;
    private final Node node;

    public ClientsApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/nodes/{node}/clients", c -> {
            node.check(c);
            return broker.clients().list().thenApply(all -> Page.of(c, sorted(all).stream().map(this::client)
                    .toList()));
        })
                .get("/api/v2/nodes/{node}/clients/{id}", this::oneClient)
                .get("/api/v2/clients/{id}", this::oneClient)
                .delete("/api/v2/clients/{id}", c -> broker.clients().kick(c.param("id")).thenApply(online -> {
                    requireOnline(online, c);
                    return null;
                }))
                .put("/api/v2/clients/{id}/clean_acl_cache", c -> {
                    if (c.body().length > 0) {
                        c.json();                     // EMQ's {"topic": ...}: the whole cache is emptied
                    }
                    return broker.clients().cleanAclCache(c.param("id")).thenApply(online -> {
                        requireOnline(online, c);
                        return null;
                    });
                })
                .get("/api/v2/nodes/{node}/sessions", c -> {
                    node.check(c);
                    return broker.sessionsView().sessions().thenApply(all -> Page.of(c, all.stream()
                            .map(this::session).toList()));
                })
                .get("/api/v2/nodes/{node}/sessions/{id}", this::oneSession)
                .get("/api/v2/sessions/{id}", this::oneSession);
    }

    private static void requireOnline(boolean online, Call c) {
        if (!online) {
            throw ApiError.notFound(ApiError.CLIENT_OFFLINE, "client " + c.param("id") + " is not connected");
        }
    }

    /**
     * One client: its figures when it is connected here; in a cluster, when another node holds it,
     * {@code {client_id, node}} naming that node (its figures are that node's API's to give).
     */
    private CompletionStage<Page> oneClient(Call c) {
        String asked = c.pathParams().get("node");
        String id = c.param("id");
        if (asked != null && !asked.equals(node.name())) {
            if (!broker.cluster().members(node.name()).contains(asked)) {
                node.check(c);                                    // 101 for a node the cluster does not know
            }
            return CompletableFuture.completedFuture(Page.of(c, elsewhere(id, asked)));
        }
        return broker.clients().get(id).thenApply(one -> Page.of(c, one.isPresent() ? List.of(client(one.get()))
                : asked == null ? elsewhere(id, null) : List.of()));
    }

    /** {@code [{client_id, node}]} when the client table has {@code id} on another node (that one, if given). */
    private List<Map<String, Object>> elsewhere(String id, String only) {
        String holder = broker.cluster().nodes().nodeOf(id);
        if (holder == null || holder.equals(node.name()) || only != null && !only.equals(holder)) {
            return List.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", id);
        m.put("node", holder);
        return List.of(m);
    }

    private CompletionStage<Page> oneSession(Call c) {
        node.check(c);
        return broker.sessionsView().session(c.param("id")).thenApply(one -> Page.of(c, list(one.map(this::session))));
    }

    private static <T> List<T> list(Optional<T> one) {
        return one.map(List::of).orElse(List.of());
    }

    private static List<ClientSnapshot> sorted(List<ClientSnapshot> all) {
        return all.stream().sorted(Comparator.comparing(ClientSnapshot::clientId)).toList();
    }

    private Map<String, Object> client(ClientSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", s.clientId());
        m.put("username", s.username());
        m.put("ipaddress", s.peer() == null ? null : s.peer().getAddress().getHostAddress());
        m.put("port", s.peer() == null ? 0 : s.peer().getPort());
        m.put("clean_sess", s.cleanStart());
        m.put("proto_ver", s.protocolLevel());
        m.put("keepalive", s.keepalive());
        m.put("connected_at", Node.datetime(s.connectedAt()));
        m.put("listener", s.listenerId());
        m.put("mountpoint", s.mountpoint());
        m.put("node", node.name());
        return m;
    }

    private Map<String, Object> session(SessionSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", s.clientId());
        m.put("clean_sess", s.clean());
        m.put("subscriptions", s.subscriptions());
        m.put("max_inflight", broker.settings().session().maxInflight());
        m.put("inflight_len", s.inflight());
        m.put("mqueue_len", s.queued());
        m.put("mqueue_dropped", s.dropped());
        m.put("awaiting_rel_len", s.awaitingRel());
        m.put("deliver_msg", s.delivered());
        m.put("enqueue_msg", s.queued());
        m.put("created_at", Node.datetime(s.createdAtMillis()));
        m.put("connected", s.connected());
        return m;
    }
}
