package io.jemq.hostile;

import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A client publishing QoS 1 messages as fast as the broker lets it, with at most {@code window} unacknowledged (the
 * Receive Maximum a real client keeps to), a reader thread collecting PUBACKs by reason code, and optionally a
 * PINGREQ after every n-th PUBLISH whose answer time is recorded.
 */
final class PublishFlood implements AutoCloseable {
    private final RawClient client;
    private final int version;
    private final Semaphore window;
    private final Map<Integer, Integer> pubackCodes = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> codeByPacketId = new ConcurrentHashMap<>();
    private final AtomicInteger pubacks = new AtomicInteger();
    private final AtomicLong pingSentNanos = new AtomicLong();
    private final AtomicLong maxPingNanos = new AtomicLong();
    private final AtomicInteger pings = new AtomicInteger();
    private final Thread reader;
    private volatile boolean closing;

    PublishFlood(int port, int version, String clientId, int window) throws IOException {
        this.client = RawClient.connected(port, version, clientId, true);
        this.version = version;
        this.window = new Semaphore(window);
        this.reader = new Thread(this::readAcks, clientId + "-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Publishes {@code count} messages; message i goes to {@code topic.apply(i)} with packet id i + 1 (so count is
     * below 65,536). Fails when the window has no room at {@code limit} after the start: the broker is not
     * acknowledging fast enough, or at all.
     */
    void publish(int count, IntFunction<String> topic, byte[] payload, boolean retain, int pingEvery,
            Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < count; i++) {
            if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("after " + limit + " only " + pubacks.get() + " PUBACKs of " + count);
            }
            client.send(Packets.publish(version, topic.apply(i), 1, retain, false, i + 1, null, payload));
            if (pingEvery > 0 && i % pingEvery == pingEvery - 1 && pingSentNanos.compareAndSet(0, System.nanoTime())) {
                client.send(Packets.pingreq());
            }
        }
    }

    private void readAcks() {
        try {
            while (!closing) {
                Optional<Packet> p = client.read(Duration.ofMillis(200));
                if (p.isEmpty()) {
                    continue;
                }
                Packet packet = p.get();
                if (packet == RawClient.CLOSED) {
                    return;
                }
                if (packet.type() == Packets.PUBACK) {
                    int code = packet.body().length > 2 ? packet.body()[2] & 0xFF : 0;
                    pubackCodes.merge(code, 1, Integer::sum);
                    codeByPacketId.put(packet.u16(0), code);
                    pubacks.incrementAndGet();
                    window.release();
                } else if (packet.type() == Packets.PINGRESP) {
                    maxPingNanos.accumulateAndGet(System.nanoTime() - pingSentNanos.getAndSet(0), Math::max);
                    pings.incrementAndGet();
                }
            }
        } catch (IOException e) {
            // the socket closed under us: counted PUBACKs tell the story
        }
    }

    /** Sends a PINGREQ now, whatever the window. @return whether its PINGRESP came within the timeout */
    boolean pingAnsweredWithin(Duration timeout) throws IOException {
        int before = pings.get();
        pingSentNanos.set(System.nanoTime());
        client.send(Packets.pingreq());
        try {
            await().atMost(timeout).until(() -> pings.get() > before);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    int pubacks() {
        return pubacks.get();
    }

    /** @return how many PUBACKs carried each reason code (3.1.1: all 0) */
    Map<Integer, Integer> pubackCodes() {
        return Map.copyOf(pubackCodes);
    }

    /** @return the reason code of message i's PUBACK, or null if none came */
    Integer codeOf(int i) {
        return codeByPacketId.get(i + 1);
    }

    int pingsAnswered() {
        return pings.get();
    }

    long maxPingMillis() {
        return maxPingNanos.get() / 1_000_000;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        client.sendQuietly(Packets.disconnect());
        reader.join(2000);
        client.close();
    }
}
