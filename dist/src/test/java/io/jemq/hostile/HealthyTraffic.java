package io.jemq.hostile;

import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The well-behaved clients beside a hostile one: publisher/subscriber pairs exchanging QoS 1 messages at a steady
 * rate, each payload carrying its send time and sequence number, so that a lost, late or refused message and a
 * disconnected client are all seen.
 */
final class HealthyTraffic implements AutoCloseable {
    static final int PAIRS = 10;
    static final int RATE_PER_SECOND = 20;
    static final int PAYLOAD_BYTES = 128;

    /** What the healthy clients saw in a row. */
    record Report(long sent, long acked, long received, long lost, long maxLatencyMillis, List<String> problems) {
        @Override
        public String toString() {
            return "healthy: sent " + sent + ", acked " + acked + ", received " + received + ", lost " + lost
                    + ", max latency " + maxLatencyMillis + " ms, " + problems.size() + " problems "
                    + problems.subList(0, Math.min(5, problems.size()));
        }
    }

    private final List<Mqtt3AsyncClient> clients = new ArrayList<>();
    private final List<Set<Long>> received = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "healthy-pacer");
        t.setDaemon(true);
        return t;
    });

    /** Connects the pairs and starts publishing. */
    static HealthyTraffic start(int port) throws Exception {
        HealthyTraffic traffic = new HealthyTraffic();
        for (int i = 0; i < PAIRS; i++) {
            traffic.startPair(port, i);
        }
        return traffic;
    }

    private void startPair(int port, int pair) throws Exception {
        String topic = "healthy/" + pair;
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        received.add(seen);
        Mqtt3AsyncClient subscriber = client(port, "healthy-sub-" + pair);
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> onMessage(seen, p)).send().get(10, TimeUnit.SECONDS);
        Mqtt3AsyncClient publisher = client(port, "healthy-pub-" + pair);
        AtomicLong sequence = new AtomicLong();
        tasks.add(pacer.scheduleAtFixedRate(() -> publish(publisher, topic, sequence.getAndIncrement()),
                pair * 5L, 1000 / RATE_PER_SECOND, TimeUnit.MILLISECONDS));
    }

    private Mqtt3AsyncClient client(int port, String id) throws Exception {
        Mqtt3AsyncClient c = MqttClient.builder().useMqttVersion3().identifier(id)
                .serverHost("127.0.0.1").serverPort(port)
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() != MqttDisconnectSource.USER) {
                        problems.add(id + " disconnected by " + ctx.getSource() + ": " + ctx.getCause());
                    }
                })
                .buildAsync();
        c.connectWith().cleanSession(true).keepAlive(30).send().get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private void publish(Mqtt3AsyncClient publisher, String topic, long sequence) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES).putLong(System.nanoTime()).putLong(sequence);
        sent.incrementAndGet();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.array()).send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        problems.add(topic + " #" + sequence + " not acknowledged: " + error);
                    } else {
                        acked.incrementAndGet();
                    }
                });
    }

    private void onMessage(Set<Long> seen, Mqtt3Publish p) {
        ByteBuffer payload = ByteBuffer.wrap(p.getPayloadAsBytes());
        long latency = System.nanoTime() - payload.getLong();
        maxLatencyNanos.accumulateAndGet(latency, Math::max);
        seen.add(payload.getLong());
    }

    /** Stops publishing and waits for what was sent to be acknowledged and delivered (or for 30 s). */
    Report stop() {
        tasks.forEach(t -> t.cancel(false));
        pacer.shutdown();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> pacer.isTerminated() && acked.get() + problems.size() >= sent.get()
                            && receivedCount() >= acked.get());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            problems.add("not all acknowledged and delivered within 30 s");
        }
        long got = receivedCount();
        return new Report(sent.get(), acked.get(), got, sent.get() - got, maxLatencyNanos.get() / 1_000_000,
                List.copyOf(problems));
    }

    private long receivedCount() {
        return received.stream().mapToLong(Set::size).sum();
    }

    @Override
    public void close() {
        pacer.shutdownNow();
        for (Mqtt3AsyncClient c : clients) {
            c.disconnect();
        }
    }
}
