package io.jemq.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What each node of a cluster says about itself, and where a client id is connected: the seam between the module that
 * reports a node's figures (management: version, uptime, connections, memory, load, metrics) and the module that
 * shares them (the cluster module), neither depending on the other. A node alone has no other nodes and finds no
 * client elsewhere: every call is then a constant answer.
 *
 * <p>Threads: the setters once at module start; {@link #localFigures()} on the cluster module's timer thread,
 * {@link #others()} and {@link #nodeOf} on the callers' (management's request threads).
 */
public final class NodeDirectory {
    /** Another node as the cluster last heard of it. */
    public record Report(String node, boolean running, Map<String, Object> figures) {
    }

    private volatile Supplier<Map<String, Object>> local = Map::of;
    private volatile Supplier<List<Report>> others = List::of;
    private volatile Function<String, String> clients = id -> null;

    /**
     * Management: how this node's figures are read. The value must be Java-serialisable (maps, lists, strings,
     * numbers): the cluster module sends it to the other nodes as it is.
     */
    public void localFigures(Supplier<Map<String, Object>> figures) {
        this.local = Objects.requireNonNull(figures, "figures");
    }

    /** This node's figures, as management reports them; empty when no module reports them. */
    public Map<String, Object> localFigures() {
        return local.get();
    }

    /** The cluster module: where the other nodes' reports and the client ids' nodes come from. */
    public void cluster(Supplier<List<Report>> otherNodes, Function<String, String> clientNodes) {
        this.others = Objects.requireNonNull(otherNodes, "otherNodes");
        this.clients = Objects.requireNonNull(clientNodes, "clientNodes");
    }

    /** Every other node the cluster knows, members (running) first, then nodes gone without leaving (stopped). */
    public List<Report> others() {
        return others.get();
    }

    /** The node a client id is connected to according to the cluster; null when unknown or alone. */
    public String nodeOf(String clientId) {
        return clients.apply(clientId);
    }
}
