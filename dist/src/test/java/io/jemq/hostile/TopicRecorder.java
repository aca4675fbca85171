package io.jemq.hostile;

import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A QoS 0 subscriber that only notes which topics reached it: to tell what the broker routed or kept. */
final class TopicRecorder implements AutoCloseable {
    private final RawClient client;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final Thread reader;
    private volatile boolean closing;

    private TopicRecorder(RawClient client, String name) {
        this.client = client;
        this.reader = new Thread(this::read, name);
        reader.setDaemon(true);
    }

    static TopicRecorder subscribe(int port, String clientId, String filter) throws IOException {
        RawClient c = RawClient.connected(port, 4, clientId, true);
        c.send(Packets.subscribe(4, 1, List.of(filter), 0));
        TopicRecorder recorder = new TopicRecorder(c, clientId);
        recorder.reader.start();
        return recorder;
    }

    private void read() {
        try {
            while (!closing) {
                Optional<Packet> p = client.read(Duration.ofMillis(200));
                if (p.isPresent() && p.get() == RawClient.CLOSED) {
                    return;
                }
                p.filter(packet -> packet.type() == Packets.PUBLISH).ifPresent(packet -> topics.add(topic(packet)));
            }
        } catch (IOException e) {
            // closed: the topics seen so far are the answer
        }
    }

    /** Subscribes to each topic and returns those the broker answered with a retained message. */
    static Set<String> retainedAmong(int port, Collection<String> topics) throws IOException {
        Set<String> retained = new HashSet<>();
        try (RawClient c = RawClient.connected(port, 4, "retained-check", true)) {
            c.send(Packets.subscribe(4, 1, List.copyOf(topics), 0));
            Optional<Packet> p;
            // retained messages follow the SUBACK at once; a second of silence means there are no more
            while ((p = c.read(Duration.ofSeconds(1))).isPresent() && p.get() != RawClient.CLOSED) {
                if (p.get().type() == Packets.PUBLISH && (p.get().flags() & 1) == 1) {
                    retained.add(topic(p.get()));
                }
            }
            c.sendQuietly(Packets.disconnect());
        }
        return retained;
    }

    /** Subscribes to one topic at QoS 0 and returns the payload of the retained message the broker sends, if any. */
    static Optional<byte[]> retainedPayload(int port, String topic) throws IOException {
        try (RawClient c = RawClient.connected(port, 4, "retained-payload-check", true)) {
            c.send(Packets.subscribe(4, 1, List.of(topic), 0));
            Optional<Packet> p;
            while ((p = c.read(Duration.ofSeconds(1))).isPresent() && p.get() != RawClient.CLOSED) {
                Packet packet = p.get();
                if (packet.type() == Packets.PUBLISH && (packet.flags() & 1) == 1) {
                    int start = 2 + packet.u16(0);                         // QoS 0: no packet id
                    return Optional.of(Arrays.copyOfRange(packet.body(), start, packet.body().length));
                }
            }
        }
        return Optional.empty();
    }

    private static String topic(Packet publish) {
        return new String(publish.body(), 2, publish.u16(0), StandardCharsets.UTF_8);
    }

    Set<String> topics() {
        return Set.copyOf(topics);
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        reader.join(2000);
        client.close();
    }
}
