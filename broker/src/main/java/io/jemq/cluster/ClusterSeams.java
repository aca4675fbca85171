package io.jemq.cluster;

import io.jemq.flow.Backpressure;
import io.jemq.message.Message;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The broker's two cluster seams behind one switch: {@link ClusterRoutes#SINGLE_NODE} and
 * {@link ClientRegistry#SINGLE_NODE} until a cluster module attaches its own, which it may do at start or later (a
 * manual {@code cluster join}). The router, the publish pipeline and the session registry hold this object, built
 * before any module runs, so a module can plug in without the core knowing it.
 *
 * <p>Threads: {@link #attach} and {@link #detach} from any thread; the delegating calls from wherever the seams'
 * contracts say. One volatile read per call: on a single node the cost stays one plain load and an inlined no-op.
 */
public final class ClusterSeams implements ClusterRoutes, ClientRegistry {
    private volatile ClusterRoutes routes = ClusterRoutes.SINGLE_NODE;
    private volatile ClientRegistry clients = ClientRegistry.SINGLE_NODE;
    private volatile Supplier<List<String>> members;
    private final NodeDirectory nodes = new NodeDirectory();

    /** From now on routes and client claims go to the cluster; the caller announces the routes that exist already. */
    public void attach(ClusterRoutes clusterRoutes, ClientRegistry clientRegistry) {
        this.routes = Objects.requireNonNull(clusterRoutes, "clusterRoutes");
        this.clients = Objects.requireNonNull(clientRegistry, "clientRegistry");
    }

    /** Back to a node alone (the cluster member left or stopped). */
    public void detach() {
        this.routes = ClusterRoutes.SINGLE_NODE;
        this.clients = ClientRegistry.SINGLE_NODE;
    }

    /** Who says which nodes make up the cluster ({@code $SYS/brokers}, management): the cluster module, at start. */
    public void members(Supplier<List<String>> nodes) {
        this.members = nodes;
    }

    /** The cluster's node names, oldest first; {@code self} alone when no cluster module answers. */
    public List<String> members(String self) {
        Supplier<List<String>> nodes = members;
        return nodes == null ? List.of(self) : nodes.get();
    }

    /** The nodes' figures and the client ids' nodes, for management. */
    public NodeDirectory nodes() {
        return nodes;
    }

    public boolean attached() {
        return routes != ClusterRoutes.SINGLE_NODE;
    }

    @Override
    public void routeAdded(String filter) {
        routes.routeAdded(filter);
    }

    @Override
    public void routeRemoved(String filter) {
        routes.routeRemoved(filter);
    }

    @Override
    public void groupAdded(String filter, String group) {
        routes.groupAdded(filter, group);
    }

    @Override
    public void groupRemoved(String filter, String group) {
        routes.groupRemoved(filter, group);
    }

    @Override
    public boolean servesGroupHere(String filter, String group) {
        return routes.servesGroupHere(filter, group);
    }

    @Override
    public void beginUnit() {
        routes.beginUnit();
    }

    @Override
    public Accepted endUnit() {
        return routes.endUnit();
    }

    @Override
    public int forward(Message message, Backpressure backpressure) {
        return routes.forward(message, backpressure);
    }

    @Override
    public CompletableFuture<Boolean> claim(String clientId, boolean resume) {
        return clients.claim(clientId, resume);
    }

    @Override
    public void released(String clientId) {
        clients.released(clientId);
    }
}
