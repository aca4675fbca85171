package io.jemq.cluster.hazelcast;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow control across nodes (docs/cluster.md, "Guarantees"): a subscriber on B that stops reading holds back a QoS 1
 * publisher on A as it would one on B, instead of B's queue dropping what A acknowledged. Two nodes, one JVM each,
 * with a queue of 100 (high watermark 60), publishers' windows of 20, and the pause bound and the stall clock set far
 * off (as FlowControlIT does on one node), so a slow machine does not turn the stopped subscriber into a stalled one.
 */
class ClusterFlowIT {
    private static final int MAX_LENGTH = 100;
    private static final int WINDOW = 20;
    private static final int INFLIGHT = 10;

    @TempDir
    static Path dir;

    static ClusterNode a;
    static ClusterNode b;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        ClusterNode[] nodes = ClusterIT.start(dir, 2, "mqtt.mqueue.max_length=" + MAX_LENGTH,
                "mqtt.mqueue.max_pause=5s", "mqtt.mqueue.stall_timeout=60s",
                "mqtt.session.max_awaiting_rel=" + WINDOW, "mqtt.session.max_inflight=" + INFLIGHT);
        a = nodes[0];
        b = nodes[1];
    }

    @AfterAll
    static void stop() throws Exception {
        ClusterIT.killAll(a, b);
    }

    @Test
    void aSubscriberThatStopsReadingOnBSlowsAPublisherOnAAndLosesNothing() throws Exception {
        int count = 300;
        try (RawClient sub = RawClient.connected(b.mqttPort, 4, "flow-sub", true)) {
            sub.send(Packets.subscribe(4, 1, "fl/#", 1));
            sub.expect(Packets.SUBACK);
            Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier("flow-pub").serverHost("127.0.0.1")
                    .serverPort(a.mqttPort).buildAsync();
            pub.connect().get(10, TimeUnit.SECONDS);
            awaitRoute(pub, sub);

            // the subscriber reads nothing from here on: B's session fills its inflight window, then its queue
            AtomicInteger acked = new AtomicInteger();
            List<CompletableFuture<Mqtt5PublishResult>> acks = new CopyOnWriteArrayList<>();
            // the client's send() blocks while its window is full: publish from another thread
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < count; i++) {
                    acks.add(pub.publishWith().topic("fl/t").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send()
                            .whenComplete((r, e) -> acked.incrementAndGet()));
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.get() >= MAX_LENGTH / 2);
            // B stops reading the link at the high watermark: A's PUBACKs wait, and the publisher's window closes
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> {
                                    return acked.get() <= INFLIGHT + MAX_LENGTH;
                    });
            int heldAt = acked.get();
            System.out.println("flow: " + heldAt + " of " + count + " acknowledged while the subscriber on B is stuck");
            assertThat(metric(b, "messages/dropped/queue_full")).as("B dropped nothing while the subscriber was stuck")
                    .isZero();

            List<String> got = readAndAcknowledge(sub, count);
            assertThat(got).as("every message, once, in order")
                    .containsExactlyElementsOf(IntStream.range(0, count).mapToObj(i -> "m" + i).toList());
            publishing.get(20, TimeUnit.SECONDS);
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(metric(b, "messages/dropped/queue_full")).as("messages dropped on B").isZero();
            assertThat(a.ctl("cluster", "status")).as("A's link to B dropped nothing")
                    .contains("link b@127.0.0.1: up").doesNotContain("dropped");
            pub.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    /** Publishes QoS 0 probes on A until the subscriber on B gets one: B's route reached A. */
    private static void awaitRoute(Mqtt5AsyncClient pub, RawClient sub) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            pub.publishWith().topic("fl/probe").qos(MqttQos.AT_MOST_ONCE)
                    .payload("p".getBytes(StandardCharsets.UTF_8)).send().get(5, TimeUnit.SECONDS);
            Optional<Packet> p = sub.poll(Duration.ofMillis(200));
            return p.isPresent() && p.get().type() == Packets.PUBLISH;
        });
    }

    /** The subscriber reads again: every PUBLISH acknowledged, its payload kept (late probes left out). */
    private static List<String> readAndAcknowledge(RawClient sub, int count) throws Exception {
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            Packet p = sub.receive(Duration.ofSeconds(10));
            if (p.type() != Packets.PUBLISH) {
                continue;
            }
            if (p.qos() > 0) {
                sub.send(Packets.ack(Packets.PUBACK, p.publishId()));
            }
            if (!p.topic().equals("fl/probe")) {
                got.add(p.payload());
            }
        }
        return got;
    }

    /** One of the node's counters ({@code ctl broker metrics}). */
    private static long metric(ClusterNode node, String name) throws Exception {
        return node.ctl("broker", "metrics").lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + ":"))
                .map(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in ctl broker metrics"));
    }
}
