package io.jemq.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.FlakeIdGeneratorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.ReplicatedMapConfig;
import com.hazelcast.config.TcpIpConfig;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The Hazelcast configuration of a jemq node's member: cluster name, address, join method from the settings, logging
 * through SLF4J, no phone-home, no shutdown hook of its own (the broker closes it), failure detection from
 * {@code cluster.failure_timeout}. Called by {@link ClusterModule} on the thread that starts the member.
 */
final class MemberConfig {
    /** Member attribute: this node's {@code node.name}. */
    static final String NODE = "jemq.node";
    /** Member attribute: {@code host:port} of this node's message link. */
    static final String LINK = "jemq.link";

    private MemberConfig() {
    }

    /**
     * @param join the members to ask for a manual {@code cluster join}; empty otherwise
     */
    static Config of(ClusterSettings s, InetSocketAddress link, List<InetSocketAddress> join) {
        Config c = new Config();
        c.setClusterName(s.clusterName());
        c.setInstanceName("jemq-" + s.nodeName() + "-" + System.nanoTime());
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(s.failureTimeout().toSeconds()));
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        c.getJetConfig().setEnabled(false);
        c.getMemberAttributeConfig().setAttribute(NODE, s.nodeName());
        c.getMemberAttributeConfig().setAttribute(LINK, link.getHostString() + ":" + link.getPort());
        // the route and client tables: every member holds all of it, reads it locally, never waits on a remote one
        // (filled before first use: a joining node starts with the whole table, not an empty one filling up)
        for (String map : new String[] {RouteTable.MAP, GroupTable.MAP, ClientTable.MAP, NodeBoard.MAP}) {
            c.addReplicatedMapConfig(new ReplicatedMapConfig(map).setAsyncFillup(false));
        }
        // the durable sessions' replica: each entry on one member and synchronous backups on as many others
        for (String map : new String[] {SessionReplicas.IMAGES, SessionReplicas.MESSAGES}) {
            c.addMapConfig(new MapConfig(map).setBackupCount(Math.max(1, s.sessionReplicas())).setAsyncBackupCount(0));
        }
        // a session's epoch: a batch of ids fetched at a time, so opening a session rarely waits for a member
        c.addFlakeIdGeneratorConfig(new FlakeIdGeneratorConfig(SessionReplicas.EPOCHS).setPrefetchCount(10_000));
        network(c.getNetworkConfig(), s, join);
        return c;
    }

    private static void network(NetworkConfig n, ClusterSettings s, List<InetSocketAddress> join) {
        String host = s.listen().getHostString();
        // a restarted node binds its port again at once, though the connections of its previous run are in TIME_WAIT
        n.setPort(s.listen().getPort()).setPortAutoIncrement(false).setReuseAddress(true);
        if (!host.equals("0.0.0.0")) {
            n.getInterfaces().setEnabled(true).addInterface(host);
            n.setPublicAddress(host + ":" + s.listen().getPort());
        }
        JoinConfig j = n.getJoin();
        j.getAutoDetectionConfig().setEnabled(false);
        j.getMulticastConfig().setEnabled(false);
        TcpIpConfig tcp = j.getTcpIpConfig().setEnabled(false).setConnectionTimeoutSeconds(2);
        switch (s.discovery()) {
            case MANUAL -> {
                tcp.setEnabled(true);
                join.forEach(a -> tcp.addMember(a.getHostString() + ":" + a.getPort()));
            }
            case STATIC -> {
                tcp.setEnabled(true);
                s.seeds().forEach(a -> tcp.addMember(a.getHostString() + ":" + a.getPort()));
            }
            case MULTICAST -> j.getMulticastConfig().setEnabled(true).setMulticastGroup(s.multicastGroup());
            case DNS -> j.getKubernetesConfig().setEnabled(true).setProperty("service-dns", s.dnsName());
            case K8S -> {
                j.getKubernetesConfig().setEnabled(true).setProperty("namespace", s.k8sNamespace());
                if (!s.k8sService().isBlank()) {
                    j.getKubernetesConfig().setProperty("service-name", s.k8sService());
                }
            }
            default -> throw new IllegalStateException("unknown discovery " + s.discovery());
        }
    }
}
