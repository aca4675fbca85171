package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durability promise under kill -9: a broker on the disk store (sync = batch) runs as a process of its own and is
 * killed with SIGKILL at random moments, {@value #KILLS} times, and started again each time, while a QoS 1 and a QoS 2
 * publisher publish and two persistent subscribers (one online, reconnecting on its own; one online only now and then)
 * take everything under {@code crash/#} at QoS 2. Every message whose PUBACK (QoS 1) or PUBREC (QoS 2: earlier than the
 * PUBCOMP, so more messages count) its publisher saw must reach each subscriber at least once (QoS 1) and exactly once
 * (QoS 2); no QoS 2 message may arrive twice. The counts are printed.
 */
class BrokerCrashIT {
    private static final int KILLS = 20;
    private static final String[] SUBSCRIBERS = {"sub-online", "sub-sometimes"};

    @TempDir
    Path home;

    private final Set<String> acked1 = ConcurrentHashMap.newKeySet();
    private final Set<String> acked2 = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger lifeAcks = new AtomicInteger();
    private final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();
    private int port;

    @Test
    void everyAcknowledgedMessageIsDeliveredAfterRepeatedKills() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        port = CrashableBroker.freePort();
        System.out.println("BrokerCrashIT: seed " + seed + ", port " + port);
        Mqtt5AsyncClient online = subscriber(SUBSCRIBERS[0], true);
        Mqtt5AsyncClient sometimes = subscriber(SUBSCRIBERS[1], false);
        long started = System.nanoTime();
        for (int life = 0; life < KILLS; life++) {
            Process broker = startBroker();
            boolean sometimesOn = life % 3 == 0;
            if (life == 0) {
                connectAndSubscribe(online);
            }
            if (sometimesOn) {
                connectAndSubscribe(sometimes);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> publishers = List.of(publisher("pub-1-" + life, MqttQos.AT_LEAST_ONCE, stop),
                    publisher("pub-2-" + life, MqttQos.EXACTLY_ONCE, stop));
            // the random moment: after a random number of acknowledgements in this life (or 2 s at most)
            int target = lifeAcks.get() + 20 + random.nextInt(400);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (lifeAcks.get() < target && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            broker.destroyForcibly();                         // SIGKILL
            broker.waitFor(10, TimeUnit.SECONDS);
            stop.set(true);
            for (Thread t : publishers) {
                t.join(5000);
            }
            if (sometimesOn) {
                sometimes.disconnect().exceptionally(e -> null);
            }
        }
        long killedFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        Process last = startBroker();
        try {
            connectAndSubscribe(sometimes);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (String s : SUBSCRIBERS) {
                    assertThat(received.get(s).keySet()).as(s).containsAll(acked1).containsAll(acked2);
                }
            });
            Thread.sleep(500);                               // a late duplicate would show now
            report(killedFor);
            for (String s : SUBSCRIBERS) {
                Map<String, AtomicInteger> got = received.get(s);
                for (String id : acked2) {
                    assertThat(got.get(id).get()).as(s + ": QoS 2 message " + id + " exactly once").isEqualTo(1);
                }
                got.forEach((id, n) -> {
                    if (id.startsWith("q2")) {
                        assertThat(n.get()).as(s + ": " + id + " (QoS 2) at most once").isEqualTo(1);
                    }
                });
            }
        } finally {
            online.disconnect().exceptionally(e -> null);
            sometimes.disconnect().exceptionally(e -> null);
            last.destroyForcibly();
            last.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void report(long killedForMillis) {
        System.out.printf("BrokerCrashIT: %d kills in %d ms; %d messages sent, %d acknowledged at QoS 1, %d at QoS 2%n",
                KILLS, killedForMillis, sent.get(), acked1.size(), acked2.size());
        for (String s : SUBSCRIBERS) {
            Map<String, AtomicInteger> got = received.get(s);
            long missing1 = acked1.stream().filter(id -> !got.containsKey(id)).count();
            long missing2 = acked2.stream().filter(id -> !got.containsKey(id)).count();
            long dup1 = count(got, "q1", 1);
            long dup2 = count(got, "q2", 1);
            long unacked = got.keySet().stream().filter(id -> !acked1.contains(id) && !acked2.contains(id)).count();
            System.out.printf("BrokerCrashIT: %s received %d distinct messages; acknowledged QoS 1: %d, missing %d, "
                            + "%d more than once (allowed); acknowledged QoS 2: %d, missing %d; QoS 2 messages "
                            + "received more than once: %d; received without the publisher seeing its ack: %d%n", s,
                    got.size(), acked1.size(), missing1, dup1, acked2.size(), missing2, dup2, unacked);
        }
    }

    private static long count(Map<String, AtomicInteger> got, String prefix, int moreThan) {
        return got.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) && e.getValue().get() > moreThan)
                .count();
    }

    private Process startBroker() throws IOException {
        return CrashableBroker.launch(home, port, "mqtt.mqueue.max_length=0", "mqtt.mqueue.max_bytes=0",
                "mqtt.storage.sync=batch");
    }

    private Mqtt5AsyncClient subscriber(String id, boolean reconnects) {
        var builder = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port);
        if (reconnects) {
            builder = builder.automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                    .maxDelay(300, TimeUnit.MILLISECONDS).applyAutomaticReconnect();
        }
        Mqtt5AsyncClient c = builder.buildAsync();
        Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
        received.put(id, got);
        c.publishes(MqttGlobalPublishFilter.ALL, p -> got.computeIfAbsent(
                new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8), k -> new AtomicInteger()).incrementAndGet());
        return c;
    }

    private void connectAndSubscribe(Mqtt5AsyncClient c) throws Exception {
        c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(10, TimeUnit.SECONDS);
        c.subscribeWith().topicFilter("crash/#").qos(MqttQos.EXACTLY_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    /** Publishes until stopped or disconnected, 64 at a time, remembering each id whose ack it saw. */
    private Thread publisher(String id, MqttQos qos, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                    .buildAsync();
            try {
                c.connectWith().cleanStart(true).send().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return;
            }
            Semaphore window = new Semaphore(64);
            String prefix = (qos == MqttQos.AT_LEAST_ONCE ? "q1-" : "q2-") + id + "-";
            Set<String> acked = qos == MqttQos.AT_LEAST_ONCE ? acked1 : acked2;
            for (int n = 0; !stop.get() && c.getState().isConnected(); n++) {
                try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        n--;
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                String payload = prefix + n;
                sent.incrementAndGet();
                c.publishWith().topic(qos == MqttQos.AT_LEAST_ONCE ? "crash/q1" : "crash/q2").qos(qos)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send().whenComplete((r, e) -> {
                            if (e == null && acknowledged(r)) {
                                acked.add(payload);
                                lifeAcks.incrementAndGet();
                            }
                            window.release();
                        });
            }
            c.disconnect().exceptionally(e -> null);
        }, id);
        t.start();
        return t;
    }

    private static boolean acknowledged(Mqtt5PublishResult r) {
        if (r.getError().isPresent()) {
            return false;
        }
        if (r instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
            // the client's future completes at PUBREC, before PUBCOMP: counting from there asks more of the broker
            // (its PUBREC already promises the message is durable)
            return !q2.getPubRec().getReasonCode().isError();
        }
        return r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1 && !q1.getPubAck().getReasonCode().isError();
    }
}
