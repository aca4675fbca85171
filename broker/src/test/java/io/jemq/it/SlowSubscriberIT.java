package io.jemq.it;

import ch.qos.logback.classic.Level;
import io.jemq.session.Session;
import io.jemq.sys.Counter;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading costs only itself (issue 8, item 2): its queue drops the oldest, but the clients
 * publishing to it keep their acks, pings and other deliveries on time. See docs/reliability.md, "Slow subscribers".
 */
class SlowSubscriberIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** max_pause (100 ms) and a margin for a loaded machine: the waits measured are 100-110 ms on an idle one. */
    private static final Duration PAUSE_BOUND = Duration.ofMillis(250);

    @Test
    void aSubscriberThatStopsReadingCostsOnlyItself() throws Exception {
        try (LogCapture log = new LogCapture("io.jemq.session");
             EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "100");
             RawClient stuck = stuckSubscriber(b, "#");
             HealthyTraffic healthy = HealthyTraffic.connect(b, 10);
             RawClient flooder = RawClient.connected(b.port(), 4, "flooder", true)) {
            CompletableFuture<Void> sending = healthy.start(100, Duration.ofMillis(20));
            Duration flooderWait = Duration.ZERO;
            try {
                // every message here and every healthy one also goes to the stuck subscriber on #
                flooderWait = publishWindowed(flooder, "victim/x", 300, 20);
                sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                await().atMost(WAIT).until(() -> healthy.receivedCount() == healthy.expectedCount());
            } finally {
                System.out.printf("stuck subscriber on #: healthy %d/%d received, latest %d ms late, longest PUBACK "
                                + "wait %d ms, %d disconnects; flooder's longest PUBACK wait %d ms%n",
                        healthy.receivedCount(), healthy.expectedCount(), healthy.maxLateness().toMillis(),
                        healthy.maxPubackWait().toMillis(), healthy.disconnects(), flooderWait.toMillis());
            }
            assertThat(healthy.maxLateness()).as("latest healthy message").isLessThan(Duration.ofSeconds(2));
            assertThat(healthy.maxPubackWait()).as("longest healthy PUBACK wait").isLessThan(Duration.ofSeconds(1));
            assertThat(flooderWait).as("longest PUBACK wait of the stuck one's publisher")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(healthy.disconnects()).as("healthy clients disconnected").isZero();
            assertThat(b.broker().connectionCount()).as("20 healthy, the flooder, the stuck one").isEqualTo(22);

            // the stuck subscriber pays: its queue is full and drops the oldest, counted, logged once
            Session s = b.broker().sessions().get("stuck");
            assertThat(s.isConnected()).as("still connected: send_timeout (15 s) has not run out").isTrue();
            // 1000 healthy and 300 flooder messages matched #: 32 in flight, 100 queued, the rest dropped
            long dropped = 1300 - 32 - 100;
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL))
                    .isEqualTo(dropped));
            assertThat(s.figures().dropped()).isEqualTo(dropped);
            assertThat(s.figures().queued()).isEqualTo(100);
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED)).isGreaterThanOrEqualTo(dropped);
            assertThat(log.messages(Level.WARN)).filteredOn(m -> m.contains("dropped messages for stuck")).hasSize(1);
        }
    }

    @Test
    void aPingBehindAPublishToAStuckSubscriberIsAnsweredWithinThePauseBound() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "10", "mqtt.session.max_inflight", "1");
             RawClient stuck = stuckSubscriber(b, "stuck/#");
             RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
            long worstPing = 0;
            long worstPuback = 0;
            // the queue passes its high watermark (6) at the 7th message; 20 take it past full
            for (int id = 1; id <= 20; id++) {
                long t0 = System.nanoTime();
                pub.send(Packets.publish(4, "stuck/t", 1, id, "m" + id));
                assertThat(pub.expect(Packets.PUBACK).packetId()).isEqualTo(id);
                long t1 = System.nanoTime();
                // a packet of its own, after the PUBACK: it is read only once a pause the PUBLISH caused ends
                pub.send(Packets.pingreq());
                pub.expect(Packets.PINGRESP);
                long t2 = System.nanoTime();
                worstPuback = Math.max(worstPuback, t1 - t0);
                worstPing = Math.max(worstPing, t2 - t1);
            }
            System.out.printf("PINGREQ behind a PUBLISH to a stuck subscriber: longest PINGRESP wait %d ms, longest "
                    + "PUBACK wait %d ms%n", worstPing / 1_000_000, worstPuback / 1_000_000);
            assertThat(Duration.ofNanos(worstPing)).as("longest PINGRESP wait").isLessThan(PAUSE_BOUND);
            assertThat(Duration.ofNanos(worstPuback)).as("longest PUBACK wait").isLessThan(PAUSE_BOUND);
            // m1 went out, m2..m20 queued in a queue of 10: the 9 oldest were dropped, and reading again shows it
            // (the stuck one's loop queues them after the PUBACK went out: wait for it)
            await().atMost(WAIT).until(() -> b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL) >= 9);
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL)).as("dropped by the full queue")
                    .isEqualTo(9);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                Packet p = stuck.expect(Packets.PUBLISH);
                received.add(p.payload());
                stuck.send(Packets.ack(Packets.PUBACK, p.publishId()));
            }
            assertThat(received).containsExactly("m1", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19",
                    "m20");
        }
    }

    @Test
    void aSubscriberThatReadsSlowlyStillPausesItsPublisherButNeverLongerThanTheBound() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "10", "mqtt.session.max_inflight", "1");
             RawClient slow = RawClient.connected(b.port(), 4, "slow", true);
             RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
            slow.send(Packets.subscribe(4, 1, "slow/t", 1));
            slow.expect(Packets.SUBACK);
            // one message every 60 ms: its queue moves (not stalled), but draining 6 → 2 takes 240 ms
            ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
            reader.scheduleAtFixedRate(() -> {
                try {
                    slow.poll(Duration.ofMillis(5)).ifPresent(p -> slow.sendQuietly(
                            Packets.ack(Packets.PUBACK, p.publishId())));
                } catch (IOException | AssertionError e) {
                    // the broker closing at the end of the test
                }
            }, 0, 60, TimeUnit.MILLISECONDS);
            try {
                long worstPing = 0;
                for (int id = 1; id <= 20; id++) {
                    pub.send(Packets.publish(4, "slow/t", 1, id, "m" + id));
                    assertThat(pub.expect(Packets.PUBACK).packetId()).isEqualTo(id);
                    long t0 = System.nanoTime();
                    pub.send(Packets.pingreq());
                    pub.expect(Packets.PINGRESP);
                    worstPing = Math.max(worstPing, System.nanoTime() - t0);
                }
                System.out.printf("PINGREQ behind a PUBLISH to a slow subscriber: longest PINGRESP wait %d ms%n",
                        worstPing / 1_000_000);
                assertThat(Duration.ofNanos(worstPing)).as("longest PINGRESP wait: paused, within the bound")
                        .isBetween(Duration.ofMillis(50), PAUSE_BOUND);
            } finally {
                reader.shutdownNow();
            }
        }
    }

    @Test
    void aStuckSubscriberIsClosedBySendTimeoutWhileItsPublisherGoesOn() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("listener.tcp.external.send_timeout", "1s",
                "listener.tcp.external.sndbuf", "8KB");
             RawClient stuck = stuckSubscriber(b, "#");
             RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
            // 1 KB messages: the 32-message window alone is more than its socket buffers hold
            long worst = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (b.broker().sessions().get("stuck") != null) {
                assertThat(System.nanoTime()).as("stuck subscriber closed in time").isLessThan(deadline);
                worst = Math.max(worst, publishWindowed(pub, "victim/x", 50, 20).toNanos());
            }
            System.out.printf("send_timeout 1 s: longest PUBACK wait of the stuck one's publisher %d ms%n",
                    worst / 1_000_000);
            assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofSeconds(1));
            assertThat(stuck.closedWithin(WAIT)).as("the stuck subscriber's socket closed").isTrue();
        }
    }

    /** A 3.1.1 client subscribed at QoS 1 that reads nothing after its SUBACK, behind a 4 KB receive window. */
    private static RawClient stuckSubscriber(EmbeddedBroker b, String filter) throws IOException {
        RawClient c = RawClient.openSmallWindow(b.port(), 4096);
        try {
            assertThat(c.connect(Packets.connect(4, "stuck")).connackCode()).isZero();
            c.send(Packets.subscribe(4, 1, filter, 1));
            c.expect(Packets.SUBACK);
            return c;
        } catch (IOException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /**
     * Publishes {@code count} QoS 1 messages of 1 KB, keeping up to {@code window} unacknowledged, as a client
     * library does. @return the longest wait from a PUBLISH to its PUBACK
     */
    private static Duration publishWindowed(RawClient pub, String topic, int count, int window) throws IOException {
        byte[] payload = new byte[1024];
        long[] sentAt = new long[count + 1];
        int next = 1;
        int acked = 0;
        long worst = 0;
        while (acked < count) {
            while (next <= count && next - 1 - acked < window) {
                sentAt[next] = System.nanoTime();
                pub.send(Packets.publish(4, topic, 1, false, false, next, null, payload));
                next++;
            }
            Packet ack = pub.expect(Packets.PUBACK);
            worst = Math.max(worst, System.nanoTime() - sentAt[ack.packetId()]);
            acked++;
        }
        return Duration.ofNanos(worst);
    }
}
