package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.BrokerModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster module: reads the {@code cluster.*} settings, registers {@code ctl cluster}, and makes this node a
 * member when its discovery finds others by itself ({@code static}, {@code multicast}, {@code dns}, {@code k8s}).
 * With {@code manual} (the default) nothing starts until {@code cluster join}: a node alone starts no Hazelcast
 * member and keeps the broker's single-node seams.
 *
 * <p>Threads: {@link #start}/{@link #close} on the broker's; {@link #join}/{@link #leave} on the ctl command's,
 * serialised by this object's monitor (a join takes seconds: it waits for Hazelcast to form the cluster).
 */
public final class ClusterModule implements BrokerModule {
    private static final Logger log = LoggerFactory.getLogger(ClusterModule.class);

    private Broker broker;
    private ClusterSettings settings;
    private volatile ClusterMember member;

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public void start(Broker b) throws Exception {
        this.broker = b;
        this.settings = ClusterSettings.from(b.settings());
        b.commands().register("cluster", new ClusterCommand(this));
        b.cluster().members(this::members);                 // $SYS/brokers and management list the members
        if (settings.joinsAtStart()) {
            member = new ClusterMember(b, settings, List.of());
        }
    }

    /** Joins the cluster of the member at {@code seed} (manual discovery), leaving the current one first. */
    public synchronized void join(InetSocketAddress seed) throws InterruptedException {
        leave();
        member = new ClusterMember(broker, settings, List.of(seed));
    }

    /** @return whether this node was a member */
    public synchronized boolean leave() {
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

    Optional<ClusterMember> member() {
        return Optional.ofNullable(member);
    }

    ClusterSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            leave();
        } catch (RuntimeException e) {
            log.warn("leaving the cluster failed: {}", e.toString());
        }
    }
}
