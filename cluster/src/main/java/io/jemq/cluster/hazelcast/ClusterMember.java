package io.jemq.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.jemq.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This node as a member of a cluster: the embedded Hazelcast member, the message links, the route and client tables,
 * attached to the broker's seams while it runs. Made by {@link ClusterModule} at start or by {@code cluster join};
 * {@link #leave} detaches the seams first, so a publish never reaches a member that is shutting down.
 */
final class ClusterMember {
    private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

    private final Broker broker;
    private final ClusterSettings settings;
    private final PeerLinks links;
    private final HazelcastInstance hz;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jemq-cluster-tables");
        t.setDaemon(true);
        return t;
    });
    private final GroupTable groups;
    private final RouteTable routes;
    private final ClientTable clients;
    private final SessionReplicas replicas;
    private final NodeBoard board;

    ClusterMember(Broker broker, ClusterSettings settings, List<InetSocketAddress> join) throws InterruptedException {
        this.broker = broker;
        this.settings = settings;
        this.links = new PeerLinks(broker, settings.nodeName(), settings.listen().getHostString(),
                settings.linkPort());
        // read before any config exists: Hazelcast's first lines (a JVM check) would otherwise go to JUL
        System.setProperty("hazelcast.logging.type", "slf4j");
        try {
            this.hz = Hazelcast.newHazelcastInstance(MemberConfig.of(settings, links.address(), join));
        } catch (RuntimeException e) {
            links.close();
            writer.shutdownNow();
            throw e;
        }
        String me = settings.nodeName();
        this.groups = new GroupTable(me, hz.getReplicatedMap(GroupTable.MAP), writer);
        this.routes = new RouteTable(me, hz.getReplicatedMap(RouteTable.MAP), links, writer, groups);
        links.routes(routes);
        this.replicas = settings.sessionReplicas() > 0 ? new SessionReplicas(me, broker, hz, this::members) : null;
        this.clients = new ClientTable(me, hz.getReplicatedMap(ClientTable.MAP), links, writer, replicas);
        // listeners first, members second: an entry of a node not yet up is counted when it comes up
        routes.listen();
        groups.listen();
        hz.getCluster().addMembershipListener(new Membership());
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.localMember()) {
                up(m);
            }
        }
        this.board = new NodeBoard(me, hz.getReplicatedMap(NodeBoard.MAP), hz.getReplicatedMap(ClientTable.MAP),
                broker.cluster().nodes(), this::members);
        board.start();
        broker.cluster().attach(routes, clients);
        broker.sessions().mirror(clients);         // the sessions opened from now on (and those restored at start)
        routes.publish(broker.router().routes());
        groups.publish(broker.router().sharedGroups().stream()
                .map(f -> new String[] {f.filter(), f.shareGroup()}).toList());
        log.info("node {} is a member of cluster {} ({} members)", me, settings.clusterName(), members().size());
    }

    /** The node names of the members, oldest first (Hazelcast's order). */
    List<String> members() {
        List<String> names = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            names.add(m.getAttribute(MemberConfig.NODE));
        }
        return names;
    }

    Map<String, Integer> routeCounts() {
        return routes.routeCounts(broker.router().topicCount());
    }

    /** Each link's state for {@code cluster status}: up or down, behind (its publishers pause), frames dropped. */
    Map<String, String> links() {
        Map<String, String> out = new TreeMap<>();
        links.all().forEach(l -> out.put(l.node(), (l.connected() ? "up" : "down")
                + (l.congestion().isCongested() ? ", behind (its publishers pause)" : "")
                + (l.dropped() > 0 ? ", " + l.dropped() + " frames dropped past its bound" : "")));
        return out;
    }

    List<String> remoteGroups() {
        return groups.describe();
    }

    NodeBoard board() {
        return board;
    }

    int clientCount() {
        return clients.size();
    }

    ClusterSettings settings() {
        return settings;
    }

    /** Deletes what {@code node} left in the tables; refused while it is a member. */
    boolean forceLeave(String node) {
        if (members().contains(node)) {
            return false;
        }
        routes.nodeDown(node, true);
        groups.nodeDown(node, true);
        clients.dropEntriesOf(node);
        board.forget(node);
        return true;
    }

    /** Back to a node alone: the seams first, then the tables, the member and the links. */
    void leave() {
        broker.sessions().mirror(null);
        broker.cluster().detach();
        routes.stop();
        groups.stop();
        board.stop();
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (replicas != null) {
            replicas.close();
        }
        hz.shutdown();
        links.close();
        log.info("node {} left cluster {}", settings.nodeName(), settings.clusterName());
    }

    private void up(Member m) {
        String node = m.getAttribute(MemberConfig.NODE);
        InetSocketAddress link = ClusterSettings.address(m.getAttribute(MemberConfig.LINK));
        if (node == null || link == null) {
            log.warn("member {} is no jemq node (no {} attribute): ignored", m.getAddress(), MemberConfig.NODE);
            return;
        }
        links.open(node, new InetSocketAddress(link.getHostString(), link.getPort()));
        routes.nodeUp(node);
        groups.nodeUp(node);
    }

    private boolean oldest() {
        return hz.getCluster().getMembers().iterator().next().localMember();
    }

    /** Hazelcast's membership events, on its event thread. */
    private final class Membership implements MembershipListener {
        @Override
        public void memberAdded(MembershipEvent e) {
            log.info("node {} joined cluster {}", e.getMember().getAttribute(MemberConfig.NODE),
                    settings.clusterName());
            up(e.getMember());
        }

        @Override
        public void memberRemoved(MembershipEvent e) {
            String node = e.getMember().getAttribute(MemberConfig.NODE);
            if (node == null) {
                return;
            }
            log.warn("node {} left cluster {} or is unreachable: its routes are dropped", node,
                    settings.clusterName());
            links.drop(node);
            boolean oldest = oldest();
            routes.nodeDown(node, oldest);
            groups.nodeDown(node, oldest);
            if (oldest) {
                clients.dropEntriesOf(node);
            }
        }
    }
}
