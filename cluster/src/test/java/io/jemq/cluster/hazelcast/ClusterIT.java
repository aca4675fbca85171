package io.jemq.cluster.hazelcast;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three jemq nodes on loopback, one JVM each, found through static discovery: what a user of the cluster sees.
 * The JVMs are shared by the tests of this class; the kill -9 test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    /** What the nodes are told: a member silent this long is dead. The route bound the kill test asserts follows. */
    private static final int FAILURE_TIMEOUT_S = 4;

    @TempDir
    static Path dir;

    static ClusterNode a;
    static ClusterNode b;
    static ClusterNode c;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        ClusterNode[] nodes = startThree(dir, FAILURE_TIMEOUT_S);
        a = nodes[0];
        b = nodes[1];
        c = nodes[2];
    }

    /** Nodes a, b and c in JVMs of their own, found through static discovery; returns once each sees three members. */
    static ClusterNode[] startThree(Path dir, int failureTimeoutS) throws Exception {
        return start(dir, 3, "cluster.failure_timeout=" + failureTimeoutS + "s");
    }

    /**
     * {@code count} nodes (a, b, c...) in JVMs of their own with the same {@code settings}, found through static
     * discovery; returns once each sees them all.
     */
    static ClusterNode[] start(Path dir, int count, String... settings) throws Exception {
        int[] ports = ClusterNode.freePorts(count);
        String seeds = "cluster.static.seeds=" + String.join(",", IntStream.of(ports)
                .mapToObj(p -> "127.0.0.1:" + p).toList());
        List<CompletableFuture<ClusterNode>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            List<String> all = new ArrayList<>(List.of("cluster.discovery=static", seeds));
            all.addAll(List.of(settings));
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ClusterNode.launch((char) ('a' + n) + "@127.0.0.1", dir.resolve("node" + n), ports[n],
                            all.toArray(String[]::new));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        ClusterNode[] nodes = starting.stream().map(CompletableFuture::join).toArray(ClusterNode[]::new);
        for (ClusterNode n : nodes) {
            await().atMost(Duration.ofSeconds(60)).until(() -> n.ctl("cluster", "status")
                    .contains("running_nodes: ") && memberCount(n) == count);
        }
        return nodes;
    }

    @AfterAll
    static void stop() throws Exception {
        killAll(a, b, c);
    }

    static void killAll(ClusterNode... nodes) throws InterruptedException {
        for (ClusterNode n : nodes) {
            if (n != null) {
                n.kill();
            }
        }
    }

    @Test
    @Order(1)
    void aPublishOnOneNodeReachesSubscribersOnTheOthersAtEveryQos() throws Exception {
        Mqtt5BlockingClient pub = publisher(a, "pub-qos");
        for (int qos = 0; qos <= 2; qos++) {
            String prefix = "q" + qos + "/";
            try (Inbox onB = new Inbox(b, "sub-b-" + qos, true).subscribe(prefix + "#", qos);
                 Inbox onC = new Inbox(c, "sub-c-" + qos, true).subscribe(prefix + "#", qos)) {
                awaitRoute(pub, prefix, onB, onC);
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    pub.publishWith().topic(prefix + "t").qos(MqttQos.fromCode(qos))
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
                    sent.add(prefix + "t m" + i);
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(onB.on(prefix)).as("on B, in order, once each").containsExactlyElementsOf(sent);
                    assertThat(onC.on(prefix)).as("on C, in order, once each").containsExactlyElementsOf(sent);
                });
            }
        }
        pub.disconnect();
    }

    @Test
    @Order(2)
    void aRetainedMessageSetOnOneNodeIsSeenByANewSubscriberOnAnother() throws Exception {
        Mqtt5BlockingClient pub = publisher(a, "pub-retain");
        pub.publishWith().topic("ret/lamp").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("on".getBytes(StandardCharsets.UTF_8)).send();
        pub.disconnect();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Inbox late = new Inbox(c, "late-on-c", true).subscribe("ret/#", 1)) {
                await().atMost(Duration.ofSeconds(2)).until(() -> late.got("ret/lamp on"));
            }
        });
    }

    @Test
    @Order(3)
    void aClientIdConnectingOnAnotherNodeClosesItsConnectionOnTheFirst() throws Exception {
        Inbox first = new Inbox(a, "roamer", true);
        Inbox second = new Inbox(b, "roamer", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.client.getState().isConnected());
        assertThat(second.client.getState().isConnected()).isTrue();
        second.close();
    }

    @Test
    @Order(4)
    void aPersistentSessionTakenOverOnAnotherNodeBringsItsSubscriptionsAndQueuedMessages() throws Exception {
        Inbox first = new Inbox(a, "mover", false).subscribe("mv/#", 1);
        first.close();
        Mqtt5BlockingClient pub = publisher(a, "pub-mover");
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pub.publishWith().topic("mv/t").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("q" + i).getBytes(StandardCharsets.UTF_8)).send();
            queued.add("mv/t q" + i);
        }
        try (Inbox moved = new Inbox(b, "mover", false)) {
            assertThat(moved.sessionPresent).as("CONNACK on B: the session A held is present").isTrue();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(moved.on("mv/")).as("what was queued on A, on B").containsExactlyElementsOf(queued));
            // its subscription moved too: a publish on A reaches it on B
            awaitRoute(pub, "mv/", moved);
        }
        pub.disconnect();
    }

    @Test
    @Order(5)
    void aShareGroupSpreadOverTheNodesGetsEachMessageOnce() throws Exception {
        List<Inbox> members = List.of(new Inbox(a, "member-a", true).subscribe("$share/g/s/#", 1),
                new Inbox(b, "member-b", true).subscribe("$share/g/s/#", 1),
                new Inbox(c, "member-c", true).subscribe("$share/g/s/#", 1));
        for (ClusterNode n : List.of(a, b, c)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> n.ctl("cluster", "status").lines()
                    .filter(l -> l.startsWith("share group g s/#: ")).anyMatch(l -> l.split(", ").length == 2));
        }
        Mqtt5BlockingClient pub = publisher(a, "pub-shared");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            pub.publishWith().topic("s/t").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            sent.add("s/t m" + i);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(members.stream()
                .flatMap(m -> m.on("s/").stream()).toList()).as("each message to one member, once")
                .containsExactlyInAnyOrderElementsOf(sent));
        for (Inbox m : members) {
            assertThat(m.on("s/")).as("a member on every node gets some").isNotEmpty();
            m.close();
        }
        pub.disconnect();
    }

    @Test
    @Order(9)
    void killingANodeMidTrafficLosesNothingAcknowledgedForTheLiveNodesAndDropsItsRoutes() throws Exception {
        Mqtt5BlockingClient pub = publisher(a, "pub-kill");
        try (Inbox onB = new Inbox(b, "kill-sub-b", true).subscribe("k/#", 1);
             Inbox onC = new Inbox(c, "kill-sub-c", true).subscribe("k/#", 1)) {
            awaitRoute(pub, "k/", onB, onC);
            List<String> acked = new ArrayList<>();
            long killedAt = 0;
            long slowest = 0;
            for (int i = 0; i < 600; i++) {
                if (i == 200) {
                    c.kill();
                    killedAt = System.nanoTime();
                }
                long t0 = System.nanoTime();
                pub.publishWith().topic("k/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();      // returns on PUBACK
                if (i >= 200) {
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                }
                acked.add("k/t m" + i);
            }
            // a PUBACK waits for C to accept: the publishes in flight at the kill wait until C is declared dead
            System.out.println("slowest publish after the kill: " + slowest / 1_000_000 + " ms");
            assertThat(slowest / 1_000_000).as("ms the slowest publish after the kill waited")
                    .isLessThan(FAILURE_TIMEOUT_S * 1000L + 1000);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(onB.on("k/")).as("every acknowledged message on the live node B")
                            .containsExactlyElementsOf(acked));
            long bound = (FAILURE_TIMEOUT_S + 8) * 1000L;
            long start = killedAt;
            await().atMost(Duration.ofMillis(bound)).pollInterval(Duration.ofMillis(100)).until(() ->
                    !a.ctl("cluster", "status").contains("c@127.0.0.1")
                            && !b.ctl("cluster", "status").contains("c@127.0.0.1"));
            long converged = (System.nanoTime() - start) / 1_000_000;
            System.out.println("routes of the killed node gone from A and B after " + converged + " ms");
            assertThat(converged).isLessThan(bound);
            // the two live nodes still serve each other
            try (Inbox after = new Inbox(b, "after-kill", true).subscribe("after/#", 1)) {
                awaitRoute(pub, "after/", after);
            }
        }
        pub.disconnect();
    }

    static Mqtt5BlockingClient publisher(ClusterNode node, String id) {
        Mqtt5BlockingClient pub = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(node.mqttPort).buildBlocking();
        pub.connect();
        return pub;
    }

    /** Publishes probes under {@code prefix} until each inbox got one: the routes reached the publishing node. */
    static void awaitRoute(Mqtt5BlockingClient pub, String prefix, Inbox... inboxes) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            pub.publishWith().topic(prefix + "probe").qos(MqttQos.AT_MOST_ONCE)
                    .payload("p".getBytes(StandardCharsets.UTF_8)).send();
            for (Inbox i : inboxes) {
                if (!i.got(prefix + "probe p")) {
                    return false;
                }
            }
            return true;
        });
    }

    private static long memberCount(ClusterNode n) throws Exception {
        String status = n.ctl("cluster", "status");
        return status.lines().filter(l -> l.startsWith("running_nodes: ")).findFirst()
                .map(l -> l.substring("running_nodes: ".length()).split(", ").length).orElse(0);
    }
}
