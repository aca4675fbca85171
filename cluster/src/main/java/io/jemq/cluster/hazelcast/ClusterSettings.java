package io.jemq.cluster.hazelcast;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.config.ConfigKeys;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster module reads from {@code etc/emq.conf}, typed; a bad value names file, line and key.
 *
 * @param nodeName         {@code node.name}: how the other nodes, {@code $SYS/brokers} and the route table name it
 * @param clusterName      {@code cluster.name} (jemqcl): members of another cluster name are refused
 * @param listen           {@code cluster.listen} (127.0.0.1:5701): the Hazelcast member's address
 * @param linkPort         {@code cluster.link.port} (0: any free port): the node-to-node message link, on the
 *                         host of {@code cluster.listen}; advertised through the membership, so peers need no setting
 * @param discovery        {@code cluster.discovery} (manual): how members find each other
 * @param seeds            {@code cluster.static.seeds}: the members to ask, for {@code static}
 * @param multicastGroup   {@code cluster.mcast.addr} (224.2.2.3): the group, for {@code multicast}
 * @param dnsName          {@code cluster.dns.name}: a headless service name resolving to every member, for
 *                         {@code dns}
 * @param k8sService       {@code cluster.k8s.service_name}, for {@code k8s}
 * @param k8sNamespace     {@code cluster.k8s.namespace} (default), for {@code k8s}
 * @param failureTimeout   {@code cluster.failure_timeout} (10s): a member silent this long is declared dead and its
 *                         routes dropped
 * @param sessionReplicas  {@code cluster.session_replicas} (1): synchronous backups of the replica of durable
 *                         sessions, which a node resumes a session from when its holder is down; 0: no replica
 */
public record ClusterSettings(String nodeName, String clusterName, InetSocketAddress listen, int linkPort,
                              Discovery discovery, List<InetSocketAddress> seeds, String multicastGroup,
                              String dnsName, String k8sService, String k8sNamespace, Duration failureTimeout,
                              int sessionReplicas) {

    /** How members find each other; each maps to one of Hazelcast's join configurations. */
    public enum Discovery { MANUAL, STATIC, MULTICAST, DNS, K8S }

    static final ConfigKeys KEYS = ConfigKeys.of("cluster.name", "cluster.listen", "cluster.link.port",
            "cluster.discovery", "cluster.static.seeds", "cluster.mcast.addr", "cluster.dns.name",
            "cluster.k8s.service_name", "cluster.k8s.namespace", "cluster.failure_timeout",
            "cluster.session_replicas");

    /** Makes the keys known to the config checker (ServiceLoader). */
    public static final class Keys implements ConfigKeys.Source {
        @Override
        public ConfigKeys configKeys() {
            return KEYS;
        }
    }

    public static ClusterSettings from(BrokerSettings broker) {
        ConfFile f = broker.file();
        InetSocketAddress listen = f.parsed("cluster.listen", new InetSocketAddress("127.0.0.1", 5701),
                "host:port such as 127.0.0.1:5701", ClusterSettings::address);
        Discovery discovery = f.oneOf("cluster.discovery", Discovery.class, Discovery.MANUAL);
        List<InetSocketAddress> seeds = f.parsed("cluster.static.seeds", List.of(),
                "host:port,host:port,...", ClusterSettings::addresses);
        if (discovery == Discovery.STATIC && seeds.isEmpty()) {
            throw f.contains("cluster.discovery") ? f.invalid("cluster.discovery",
                    "cluster.static.seeds (host:port,...) to be set for static discovery") : new IllegalStateException(
                    "cluster.static.seeds is required for static discovery");
        }
        String dns = f.string("cluster.dns.name", "");
        if (discovery == Discovery.DNS && dns.isBlank()) {
            throw f.invalid("cluster.discovery", "cluster.dns.name (a headless service name) to be set for dns");
        }
        String k8sService = f.string("cluster.k8s.service_name", "");
        return new ClusterSettings(broker.nodeName(), f.string("cluster.name", "jemqcl"), listen,
                f.integer("cluster.link.port", 0, 0, 65535), discovery, seeds,
                f.string("cluster.mcast.addr", "224.2.2.3"), dns, k8sService,
                f.string("cluster.k8s.namespace", "default"),
                f.duration("cluster.failure_timeout", "10s", Duration.ofSeconds(2), Duration.ofMinutes(10)),
                f.integer("cluster.session_replicas", 1, 0, 6));
    }

    /** Whether a member starts with the broker: every discovery but manual does. */
    public boolean joinsAtStart() {
        return discovery != Discovery.MANUAL;
    }

    /** {@code host:port}; null when it is not one. */
    static InetSocketAddress address(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            return null;
        }
        try {
            int port = Integer.parseInt(t.substring(colon + 1));
            if (port < 0 || port > 65535) {
                return null;
            }
            return InetSocketAddress.createUnresolved(t.substring(0, colon), port);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static List<InetSocketAddress> addresses(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            InetSocketAddress a = address(part);
            if (a == null) {
                return null;
            }
            out.add(a);
        }
        return List.copyOf(out);
    }
}
