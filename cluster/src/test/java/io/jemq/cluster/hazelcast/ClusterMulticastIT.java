package io.jemq.cluster.hazelcast;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code cluster.discovery = multicast}: two nodes on loopback given no address of each other find each other through
 * Hazelcast's multicast join (the group of {@code cluster.mcast.addr}), and a message published on one reaches a
 * subscriber on the other. A cluster name of its own keeps other runs on the machine out.
 */
class ClusterMulticastIT {
    @TempDir
    Path dir;

    @Test
    void nodesGivenNoSeedsFindEachOtherByMulticastAndRouteBetweenThem() throws Exception {
        int[] ports = ClusterNode.freePorts(2);
        String cluster = "mc-" + UUID.randomUUID().toString().substring(0, 8);
        List<ClusterNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String name = (i == 0 ? "ma" : "mb") + "@127.0.0.1";
                nodes.add(ClusterNode.launch(name, dir.resolve("n" + i), ports[i], "cluster.discovery=multicast",
                        "cluster.name=" + cluster, "cluster.mcast.addr=224.2.2.7"));
            }
            ClusterNode a = nodes.get(0);
            ClusterNode b = nodes.get(1);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(a.ctl("cluster", "status")).contains("running_nodes: ma@127.0.0.1, mb@127.0.0.1"));

            try (Inbox onB = new Inbox(b, "mc-sub", true).subscribe("mc/#", 1)) {
                MqttClient pub = new MqttClient("tcp://127.0.0.1:" + a.mqttPort, "mc-pub", new MemoryPersistence());
                pub.connect();
                // the route takes a moment to reach A: publish until one arrives, then one counted message
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    pub.publish("mc/probe", "probe".getBytes(StandardCharsets.UTF_8), 1, false);
                    return onB.got("mc/probe probe");
                });
                pub.publish("mc/x", "over multicast".getBytes(StandardCharsets.UTF_8), 1, false);
                await().atMost(Duration.ofSeconds(10)).until(() -> onB.got("mc/x over multicast"));
                pub.disconnect();
                pub.close();
            }
        } finally {
            for (ClusterNode n : nodes) {
                n.kill();
            }
        }
    }
}
