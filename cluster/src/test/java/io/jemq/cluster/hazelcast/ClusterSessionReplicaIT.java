package io.jemq.cluster.hazelcast;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durable sessions of a node that is down resumed on another node from the cluster's replica (Hazelcast, one
 * synchronous backup), and that node dropping them when it comes back. Three nodes with disk stores, one JVM each,
 * shared by the tests in order: A is killed in the first, restarted in the second, killed again in the third.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSessionReplicaIT {
    private static final int FAILURE_TIMEOUT_S = 4;
    private static final int N = 40;

    @TempDir
    static Path dir;

    static ClusterNode a;
    static ClusterNode b;
    static ClusterNode c;
    static int[] ports;
    static String[] settings;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        ports = ClusterNode.freePorts(3);
        settings = new String[] {"cluster.discovery=static", "cluster.static.seeds=" + String.join(",",
                IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p).toList()),
                "cluster.failure_timeout=" + FAILURE_TIMEOUT_S + "s", "mqtt.storage=disk"};
        List<CompletableFuture<ClusterNode>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> launch(n)));
        }
        a = starting.get(0).join();
        b = starting.get(1).join();
        c = starting.get(2).join();
        awaitMembers(3, a, b, c);
    }

    private static ClusterNode launch(int n) {
        try {
            return ClusterNode.launch((char) ('a' + n) + "@127.0.0.1", dir.resolve("node" + n), ports[n], settings);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitMembers(int count, ClusterNode... nodes) {
        for (ClusterNode n : nodes) {
            await().atMost(Duration.ofSeconds(60)).until(() -> n.ctl("cluster", "status").lines()
                    .filter(l -> l.startsWith("running_nodes: ")).anyMatch(l -> l.split(", ").length == count));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        ClusterIT.killAll(a, b, c);
    }

    @Test
    @Order(1)
    void anOfflineSessionOfAKilledNodeIsResumedOnAnotherWithEveryAcknowledgedMessage() throws Exception {
        Inbox sub = new Inbox(a, "dur-off", false).subscribe("r1/#", 2);                 // HiveMQ, MQTT 5, on A
        Mqtt5BlockingClient pub = ClusterIT.publisher(c, "pub-r1");
        ClusterIT.awaitRoute(pub, "r1/", sub);
        // the price of the replica: QoS 1 from C to a subscriber on A, not durable, then durable (offline)
        try (Inbox clean = new Inbox(a, "clean-r0", true).subscribe("r0/#", 1)) {
            ClusterIT.awaitRoute(pub, "r0/", clean);
            long t0 = System.nanoTime();
            publish(pub, "r0/t", 5 * N);
            System.out.printf("QoS 1 from C to a clean session on A: %.2f ms a publish%n",
                    (System.nanoTime() - t0) / 1e6 / (5 * N));
        }
        sub.close();
        long started = System.nanoTime();
        List<String> q1 = publish(pub, "r1/q1", 5 * N);     // each send returns on its PUBACK
        System.out.printf("QoS 1 from C to a durable session on A (replicated): %.2f ms a publish%n",
                (System.nanoTime() - started) / 1e6 / (5 * N));
        List<String> q2 = new ArrayList<>();
        for (int i = 0; i < N; i++) {           // each send returns on its PUBCOMP
            pub.publishWith().topic("r1/q2").qos(MqttQos.EXACTLY_ONCE).payload(bytes("m" + i)).send();
            q2.add("r1/q2 m" + i);
        }
        a.kill();

        List<String> got = new CopyOnWriteArrayList<>();
        long connectAt = System.nanoTime();
        MqttClient paho = paho(b, "dur-off", got);                                        // Paho, MQTT 3.1.1, on B
        boolean present = paho.connectWithResult(durable()).getSessionPresent();
        System.out.println("take-over of an offline session from the killed node: CONNACK after "
                + (System.nanoTime() - connectAt) / 1_000_000 + " ms");
        assertThat(present).as("CONNACK on B: the session of the killed node A is present").isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(got).as("every acknowledged message").containsAll(q1).containsAll(q2));
        for (String m : q2) {
            assertThat(Collections.frequency(got, m)).as("QoS 2 exactly once: " + m).isEqualTo(1);
        }
        // its subscription works on B: what C publishes now reaches it there
        awaitRoute(pub, "r1/", got);
        List<String> late = publish(pub, "r1/late", 10);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(got).containsAll(late));
        paho.disconnect();
        paho.close();
        pub.disconnect();
    }

    @Test
    @Order(2)
    void aRestartedNodeDropsTheSessionTakenOverMeanwhileAndItsClientTakesItBackAsUsual() throws Exception {
        Mqtt5BlockingClient pub = ClusterIT.publisher(c, "pub-r1-back");
        List<String> away = publish(pub, "r1/away", 10);         // queued for the client on B
        a = launch(0);                                           // its disk store still has dur-off's old session
        awaitMembers(3, a, b, c);
        assertThat(a.output).as("A's log").anyMatch(l ->
                l.contains("sessions of this node's store were taken over by other nodes while it was down"));
        assertThat(a.ctl("sessions", "list")).as("A's sessions").doesNotContain("dur-off");
        assertThat(a.ctl("routes", "list")).as("A's routes").doesNotContain("r1/#");

        try (Inbox back = new Inbox(a, "dur-off", false)) {                              // HiveMQ, on A again
            assertThat(back.sessionPresent).as("taken over from B").isTrue();
            try {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(back.on("r1/")).as("what B queued, and nothing A had before")
                                .containsExactlyInAnyOrderElementsOf(away));
            } catch (AssertionError | RuntimeException e) {
                System.out.println("the session on A: " + a.ctl("sessions", "show", "dur-off") + "; on B: "
                        + b.ctl("sessions", "show", "dur-off") + "; received: " + back.received);
                throw e;
            }
        }
        pub.disconnect();
    }

    @Test
    @Order(3)
    void anOnlineSessionOfANodeKilledMidTrafficGetsEveryAcknowledgedMessageOnAnother() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        MqttClient onA = paho(a, "dur-on", got);                                           // Paho, MQTT 3.1.1, on A
        onA.connect(durable());
        onA.subscribe("r3/#", 1);
        Mqtt5BlockingClient pub = ClusterIT.publisher(c, "pub-r3");                       // HiveMQ, MQTT 5, on C
        awaitRoute(pub, "r3/", got);
        List<String> ackedBeforeKill = new CopyOnWriteArrayList<>();
        List<String> ackedAfter = new CopyOnWriteArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 0; !killed.get(); i++) {
                boolean before = !killed.get();
                pub.publishWith().topic("r3/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
                (before && !killed.get() ? ackedBeforeKill : ackedAfter).add("r3/t m" + i);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() >= 150);
        a.kill();
        killed.set(true);
        publishing.get(FAILURE_TIMEOUT_S + 10, TimeUnit.SECONDS);   // the publish in flight waits for A's death
        try {
            onA.close(true);
        } catch (MqttException e) {
            // its node is gone
        }

        MqttClient onB = paho(b, "dur-on", got);
        assertThat(onB.connectWithResult(durable()).getSessionPresent()).as("session present on B").isTrue();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(got).as("every message acknowledged before the kill").containsAll(ackedBeforeKill));
        System.out.println("kill mid-traffic: " + ackedBeforeKill.size() + " acknowledged before the kill, all "
                + "received; of the " + ackedAfter.size() + " in flight at the kill, "
                + ackedAfter.stream().filter(got::contains).count() + " received");
        awaitRoute(pub, "r3/", got);
        List<String> late = publish(pub, "r3/late", 10);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(got).containsAll(late));
        onB.disconnect();
        onB.close();
        pub.disconnect();
    }

    private static List<String> publish(Mqtt5BlockingClient pub, String topic, int n) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            sent.add(topic + " m" + i);
        }
        return sent;
    }

    /** Publishes QoS 0 probes under {@code prefix} until {@code got} has one: the route reached the publisher. */
    private static void awaitRoute(Mqtt5BlockingClient pub, String prefix, List<String> got) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            pub.publishWith().topic(prefix + "probe").qos(MqttQos.AT_MOST_ONCE).payload(bytes("p")).send();
            return got.contains(prefix + "probe p");
        });
    }

    private static MqttClient paho(ClusterNode node, String clientId, List<String> into) throws MqttException {
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + node.mqttPort, clientId, new MemoryPersistence());
        paho.setCallback(ClusterQosIT.collectInto(into));
        return paho;
    }

    private static MqttConnectOptions durable() {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(30);
        return options;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
