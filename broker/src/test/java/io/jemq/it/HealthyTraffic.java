package io.jemq.it;

import io.jemq.testkit.EmbeddedBroker;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Pairs of well-behaved clients (HiveMQ, 5.0): publisher i sends QoS 1 messages to {@code healthy/i}, subscriber i
 * receives them. Each payload carries its send time, so the subscriber measures how late it arrives; the publisher
 * measures how long each PUBACK took. Disconnects before {@link #close()} are counted: none is expected.
 */
final class HealthyTraffic implements AutoCloseable {
    private final List<Mqtt5AsyncClient> publishers = new ArrayList<>();
    private final List<Mqtt5AsyncClient> subscribers = new ArrayList<>();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final Set<String> received = ConcurrentHashMap.newKeySet();
    private final LongAccumulator maxLatenessNanos = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxPubackNanos = new LongAccumulator(Math::max, 0);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private volatile boolean closing;
    private int sentPerPair;

    private HealthyTraffic() {
    }

    /** Connects {@code pairs} publisher/subscriber pairs (keepalive 2 s, so a held-back client is noticed). */
    static HealthyTraffic connect(EmbeddedBroker b, int pairs) {
        HealthyTraffic t = new HealthyTraffic();
        for (int i = 0; i < pairs; i++) {
            Mqtt5AsyncClient sub = t.client(b, "healthy-sub-" + i);
            sub.connectWith().keepAlive(2).send().join();
            sub.subscribeWith().topicFilter("healthy/" + i).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> t.onReceived(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                    .send().join();
            t.subscribers.add(sub);
            Mqtt5AsyncClient pub = t.client(b, "healthy-pub-" + i);
            pub.connectWith().keepAlive(2).send().join();
            t.publishers.add(pub);
        }
        return t;
    }

    private Mqtt5AsyncClient client(EmbeddedBroker b, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port())
                .addDisconnectedListener(ctx -> {
                    if (!closing) {
                        disconnects.incrementAndGet();
                    }
                })
                .buildAsync();
    }

    /**
     * Every {@code interval}, each publisher sends one message, {@code count} times. @return completes when all are
     * sent (not yet acknowledged)
     */
    CompletableFuture<Void> start(int count, Duration interval) {
        sentPerPair = count;
        CountDownLatch ticks = new CountDownLatch(count);
        AtomicInteger seq = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            int n = seq.getAndIncrement();
            if (n >= count) {
                return;
            }
            for (int i = 0; i < publishers.size(); i++) {
                long sentAt = System.nanoTime();
                String payload = i + " " + n + " " + sentAt;
                publishers.get(i).publishWith().topic("healthy/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send()
                        .thenRun(() -> maxPubackNanos.accumulate(System.nanoTime() - sentAt));
            }
            ticks.countDown();
        }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return CompletableFuture.runAsync(() -> {
            try {
                ticks.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void onReceived(String payload) {
        String[] parts = payload.split(" ");
        maxLatenessNanos.accumulate(System.nanoTime() - Long.parseLong(parts[2]));
        received.add(parts[0] + " " + parts[1]);
    }

    /** Distinct messages received so far, over all pairs. */
    int receivedCount() {
        return received.size();
    }

    int expectedCount() {
        return sentPerPair * publishers.size();
    }

    Duration maxLateness() {
        return Duration.ofNanos(maxLatenessNanos.get());
    }

    Duration maxPubackWait() {
        return Duration.ofNanos(maxPubackNanos.get());
    }

    int disconnects() {
        return disconnects.get();
    }

    @Override
    public void close() {
        closing = true;
        ticker.shutdownNow();
        List<CompletableFuture<?>> leaving = new ArrayList<>();
        for (Mqtt5AsyncClient c : publishers) {
            leaving.add(c.disconnect().exceptionally(e -> null));
        }
        for (Mqtt5AsyncClient c : subscribers) {
            leaving.add(c.disconnect().exceptionally(e -> null));
        }
        CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new)).join();
    }
}
