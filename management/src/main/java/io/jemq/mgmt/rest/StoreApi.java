package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Routes;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The store's figures, as {@code bin/jemq ctl store} prints them ({@link io.jemq.store.Store#figures()}: type,
 * directory, sync mode, size on disk, keys, persistent sessions, retained messages, commit rounds, last sync):
 * {@code nodes/{node}/store} and {@code store}. A jemq addition; EMQ 2.x kept sessions in memory only.
 */
public final class StoreApi {
    private final Broker broker;
    private final Node node;

    public StoreApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/nodes/{node}/store", this::figures)
                .get("/api/v2/store", this::figures);
    }

    private CompletionStage<Map<String, Object>> figures(Call c) {
        node.check(c);
        return CompletableFuture.completedFuture(broker.store().figures());
    }
}
