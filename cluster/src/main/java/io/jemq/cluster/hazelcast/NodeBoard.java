package io.jemq.cluster.hazelcast;

import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jemq.cluster.NodeDirectory;
import io.jemq.cluster.NodeDirectory.Report;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The nodes' figures for management (REST {@code management/nodes}, {@code monitoring/*}, the dashboard): every
 * {@value #EVERY_MS} ms each node writes what management reports of it (version, uptime, connections, memory, load,
 * metrics, stats) into the Hazelcast ReplicatedMap {@value #MAP}, which every member holds whole. Reading the others
 * is a local read: a REST call never waits on another node, and a node that died shows as stopped (its last entry
 * stays) until it comes back or {@code cluster force-leave} drops it. A node that leaves removes its own entry.
 *
 * <p>Threads: {@link #publish} on this board's timer thread ({@code jemq-cluster-nodes}); {@link #others} and
 * {@link #clientNode} on management's request threads; {@link #start}/{@link #stop} under the module's monitor.
 */
final class NodeBoard {
    static final String MAP = "jemq.nodes";
    static final long EVERY_MS = 2000;
    private static final Logger log = LoggerFactory.getLogger(NodeBoard.class);

    private final String me;
    private final ReplicatedMap<String, HashMap<String, Object>> figures;
    private final ReplicatedMap<String, String> clients;
    private final NodeDirectory directory;
    private final Supplier<List<String>> members;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jemq-cluster-nodes");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean failing;

    NodeBoard(String me, ReplicatedMap<String, HashMap<String, Object>> figures, ReplicatedMap<String, String> clients,
              NodeDirectory directory, Supplier<List<String>> members) {
        this.me = me;
        this.figures = figures;
        this.clients = clients;
        this.directory = directory;
        this.members = members;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::publish, 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Writes this node's figures; a failure is logged once until it works again. */
    void publish() {
        try {
            figures.put(me, new HashMap<>(directory.localFigures()));
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("this node's figures could not be shared with the cluster: {}", e.toString());
                failing = true;
            }
        }
    }

    /** The other members (running, with their last figures), then the nodes gone without leaving (stopped). */
    List<Report> others() {
        List<String> running = members.get();
        List<Report> out = new ArrayList<>();
        for (String node : running) {
            if (!node.equals(me)) {
                Map<String, Object> last = figures.get(node);
                out.add(new Report(node, true, last == null ? Map.of() : last));
            }
        }
        for (String node : figures.keySet()) {
            if (!node.equals(me) && !running.contains(node)) {
                out.add(new Report(node, false, Map.of()));
            }
        }
        return out;
    }

    /** The node holding {@code clientId} as the client table says; null when none does. */
    String clientNode(String clientId) {
        return clients.get(clientId);
    }

    /** Drops what a gone node left ({@code cluster force-leave}). */
    void forget(String node) {
        figures.remove(node);
    }

    /** This node leaves: no more writes, and its entry goes, so the others do not show it as stopped. */
    void stop() {
        timer.shutdownNow();
        try {
            figures.remove(me);
        } catch (RuntimeException e) {
            log.debug("removing this node's figures failed: {}", e.toString());
        }
    }
}
