package io.jemq.cluster.hazelcast;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * QoS 1/2 across nodes with the local guarantee: a publisher's PUBACK / PUBREC only once the nodes its message went
 * to accepted it, nothing acknowledged lost or doubled when a link breaks while both nodes live, and a session taken
 * over on another node present at once with nothing published meanwhile lost. Three nodes, one JVM each.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterQosIT {
    @TempDir
    static Path dir;

    static ClusterNode a;
    static ClusterNode b;
    static ClusterNode c;

    @BeforeAll
    static void startThreeNodes() throws Exception {
        ClusterNode[] nodes = ClusterIT.startThree(dir, 10);
        a = nodes[0];
        b = nodes[1];
        c = nodes[2];
    }

    @AfterAll
    static void stop() throws Exception {
        ClusterIT.killAll(a, b, c);
    }

    @Test
    @Order(1)
    void aTakenOverSessionIsPresentOnTheNewNodeAndGetsEverythingPublishedWhileItMoves() throws Exception {
        Inbox first = new Inbox(a, "traveller", false).subscribe("tk/#", 1);             // HiveMQ, MQTT 5, on A
        Mqtt5BlockingClient pub = ClusterIT.publisher(c, "pub-tk");
        ClusterIT.awaitRoute(pub, "tk/", first);
        List<String> acked = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 0; !stop.get(); i++) {
                pub.publishWith().topic("tk/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();      // returns on PUBACK
                acked.add("tk/t m" + i);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> first.on("tk/").size() >= 50);

        List<String> second = new CopyOnWriteArrayList<>();
        MqttClient paho = new MqttClient("tcp://127.0.0.1:" + b.mqttPort, "traveller", new MemoryPersistence());
        paho.setCallback(collectInto(second));
        MqttConnectOptions options = new MqttConnectOptions();                            // Paho, MQTT 3.1.1, on B
        options.setCleanSession(false);
        boolean present = paho.connectWithResult(options).getSessionPresent();
        assertThat(present).as("CONNACK on B: the session held on A is present").isTrue();
        int movedAt = acked.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> acked.size() >= movedAt + 300);
        stop.set(true);
        publishing.get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> got = new ArrayList<>(first.on("tk/"));
            got.addAll(second.stream().filter(m -> m.startsWith("tk/") && !m.contains("probe")).toList());
            assertThat(new LinkedHashSet<>(got)).as("every acknowledged message reached the client, on A or on B")
                    .containsAll(acked);
        });
        System.out.println("take-over: " + acked.size() + " published, " + first.on("tk/").size() + " on A, "
                + second.size() + " on B");
        paho.disconnect();
        paho.close();
        pub.disconnect();
    }

    @Test
    @Order(2)
    void aLinkBrokenMidStreamLosesAndDoublesNothingAcknowledged() throws Exception {
        for (int q = 1; q <= 2; q++) {
            int qos = q;
            String prefix = "lb" + qos + "/";
            try (Inbox onB = new Inbox(b, "lb-sub-" + qos, true).subscribe(prefix + "#", qos)) {
                Mqtt5AsyncClient pub = asyncPublisher(a, "lb-pub-" + qos);
                ClusterIT.awaitRoute(pub.toBlocking(), prefix, onB);
                List<String> sent = new ArrayList<>();
                List<CompletableFuture<Mqtt5PublishResult>> acks = new ArrayList<>();
                AtomicInteger acked = new AtomicInteger();
                int resentBefore = resends(a);
                for (int i = 0; i < 900; i++) {                 // below B's queue bound for a slow subscriber
                    if (i == 300) {
                        await().atMost(Duration.ofSeconds(20)).until(() -> acked.get() == 300);
                        if (qos == 2) {
                            b.signal("STOP");       // what follows piles up unread in B's socket, lost with it
                        }
                    }
                    sent.add(prefix + "t m" + i);
                    acks.add(pub.publishWith().topic(prefix + "t").qos(MqttQos.fromCode(qos))
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send()
                            .whenComplete((r, e) -> acked.incrementAndGet()));
                }
                try {
                    assertThat(breakLinksTo(b)).as("link sockets to B aborted mid-stream").isPositive();
                } finally {
                    if (qos == 2) {
                        b.signal("CONT");
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                if (qos == 2) {
                    assertThat(resends(a)).as("A sent what B had not acknowledged again").isGreaterThan(resentBefore);
                }
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(onB.on(prefix)).as("QoS " + qos + " on B: every acknowledged message once, in order")
                                .containsExactlyElementsOf(sent));
                pub.disconnect().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @Order(3)
    void thePubackWaitsUntilTheSubscribersNodeAcceptedTheMessage() throws Exception {
        try (Inbox onB = new Inbox(b, "wait-sub", true).subscribe("w/#", 1)) {
            Mqtt5AsyncClient pub = asyncPublisher(a, "wait-pub");
            ClusterIT.awaitRoute(pub.toBlocking(), "w/", onB);
            b.signal("STOP");                       // B reads nothing: the frame waits in its socket
            CompletableFuture<Mqtt5PublishResult> puback;
            try {
                puback = pub.publishWith().topic("w/t").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("held".getBytes(StandardCharsets.UTF_8)).send();
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .until(() -> !puback.isDone());
            } finally {
                b.signal("CONT");
            }
            puback.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> onB.got("w/t held"));
            pub.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    private static Mqtt5AsyncClient asyncPublisher(ClusterNode node, String id) throws Exception {
        Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1")
                .serverPort(node.mqttPort).buildAsync();
        pub.connect().get(10, TimeUnit.SECONDS);
        return pub;
    }

    /** Aborts every TCP connection to {@code node}'s link port ({@code ss -K}); how many it aborted. */
    private static int breakLinksTo(ClusterNode node) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-K", "-t", "dst", "127.0.0.1", "dport", "=",
                Integer.toString(node.linkPort)).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        System.out.println("ss -K:\n" + out);
        return (int) out.lines().filter(l -> l.contains(":" + node.linkPort)).count();
    }

    /** How many times the node logged sending unacknowledged frames again on a new connection. */
    private static int resends(ClusterNode node) {
        return (int) node.output.stream().filter(l -> l.contains("unacknowledged frames again")).count();
    }

    static MqttCallback collectInto(List<String> into) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }
}
