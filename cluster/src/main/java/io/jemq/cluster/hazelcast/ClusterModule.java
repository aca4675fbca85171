package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.BrokerModule;
import io.jemq.cluster.NodeDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster module: reads the {@code cluster.*} settings, registers {@code ctl cluster}, and makes this node a
 * member when its discovery finds others by itself ({@code static}, {@code multicast}, {@code dns}, {@code k8s}).
 * With {@code manual} (the default) nothing starts until {@code cluster join}, or until a restart finds the seed
 * that join remembered ({@link JoinedSeeds}): a node alone starts no Hazelcast member and keeps the broker's
 * single-node seams. It also fills the broker's {@link NodeDirectory} with the other nodes' figures (for management).
 *
 * <p>Threads: {@link #start}/{@link #close} on the broker's; {@link #join}/{@link #leave} on the ctl command's,
 * serialised by this object's monitor (a join takes seconds: it waits for Hazelcast to form the cluster).
 */
public final class ClusterModule implements BrokerModule {
    private static final Logger log = LoggerFactory.getLogger(ClusterModule.class);

    private Broker broker;
    private ClusterSettings settings;
    private volatile ClusterMember member;
    private JoinedSeeds seeds;

    @Override
    public String name() {
        return "cluster";
    }

    /**
     * After management (0): its {@code ctl cluster} answers for a node without this module; this module's command
     * must replace it, whatever the class-path order.
     */
    @Override
    public int startOrder() {
        return 5;
    }

    @Override
    public void start(Broker b) throws Exception {
        this.broker = b;
        this.settings = ClusterSettings.from(b.settings());
        b.commands().register("cluster", new ClusterCommand(this));
        b.cluster().members(this::members);                 // $SYS/brokers and management list the members
        b.cluster().nodes().cluster(this::otherNodes, this::clientNode);
        this.seeds = new JoinedSeeds(b.settings().node().dataDir().resolve("cluster").resolve("seeds"));
        if (settings.joinsAtStart()) {
            member = new ClusterMember(b, settings, List.of());
        } else {
            List<InetSocketAddress> remembered = seeds.read();
            if (!remembered.isEmpty()) {
                log.info("joining the cluster of {} again (remembered in {})", remembered.stream()
                        .map(a -> a.getHostString() + ":" + a.getPort()).toList(), seeds.file());
                member = new ClusterMember(b, settings, remembered);
            }
        }
    }

    /**
     * Joins the cluster of the member at {@code seed} (manual discovery), leaving the current one first; the seed is
     * remembered, so a restart joins again.
     */
    public synchronized void join(InetSocketAddress seed) throws InterruptedException {
        stopMember();
        member = new ClusterMember(broker, settings, List.of(seed));
        seeds.remember(seed);
    }

    /** Leaves the cluster and forgets the remembered seed. @return whether this node was a member */
    public synchronized boolean leave() {
        seeds.forget();
        return stopMember();
    }

    /** The seeds a restart joins (manual discovery): what the last {@code cluster join} remembered. */
    List<InetSocketAddress> rememberedSeeds() {
        return seeds.read();
    }

    private synchronized boolean stopMember() {
        ClusterMember m = member;
        member = null;
        if (m == null) {
            return false;
        }
        m.leave();
        return true;
    }

    /** Whether this node is a member of a cluster now. */
    public boolean running() {
        return member != null;
    }

    /** The members' node names, oldest first; this node alone when it is no member. */
    public List<String> members() {
        ClusterMember m = member;
        return m == null ? List.of(settings.nodeName()) : m.members();
    }

    /** Filters per node (this one included), as this node's route cache has them. */
    public Map<String, Integer> routeCounts() {
        ClusterMember m = member;
        return m == null ? Map.of(settings.nodeName(), broker.router().topicCount()) : m.routeCounts();
    }

    private List<NodeDirectory.Report> otherNodes() {
        ClusterMember m = member;
        return m == null ? List.of() : m.board().others();
    }

    private String clientNode(String clientId) {
        ClusterMember m = member;
        return m == null ? null : m.board().clientNode(clientId);
    }

    Optional<ClusterMember> member() {
        return Optional.ofNullable(member);
    }

    ClusterSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            stopMember();             // a node stopping stays joined: it joins again at its next start
        } catch (RuntimeException e) {
            log.warn("leaving the cluster failed: {}", e.toString());
        }
    }
}
