package io.jemq.hostile;

import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's hostile clients, each against the packaged broker started by {@code bin/jemq console} with the shipped
 * etc/emq.conf (listeners moved to free loopback ports; where a row lowers a limit, the method says which), a 256 MB
 * heap and 256 MB of direct memory, while {@link HealthyTraffic} exchanges QoS 1 messages beside it. Every row
 * asserts that the broker lives, that no healthy message is lost or more than 2 s late, that no healthy client is
 * disconnected, that the broker's RSS stays under {@link RssWatch#BOUND_KIB}, and that the hostile client gets the
 * refusal docs/reliability.md ("Limits and budgets") documents. Each row prints a "[hostile]" line with its figures.
 */
class HostileClientsIT {
    private static final Duration IDLE = Duration.ofSeconds(3);
    private static final Map<String, String> LOW_IDLE_TIMEOUT = Map.of("mqtt.client.idle_timeout", "3s");
    private static final long MAX_LATENCY_MILLIS = 2000;
    private static final int QUOTA_EXCEEDED = 0x97;
    private static final int FAILURE = 0x80;

    @TempDir
    Path dir;

    private BrokerProcess broker;
    private RssWatch rss;
    private HealthyTraffic healthy;
    private final SoftAssertions softly = new SoftAssertions();

    @AfterEach
    void stopAll() throws InterruptedException {
        if (healthy != null) {
            healthy.close();
        }
        if (rss != null) {
            rss.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void startBroker(Map<String, String> changes) throws Exception {
        broker = BrokerProcess.start(dir, changes);
        rss = new RssWatch(broker);
        healthy = HealthyTraffic.start(broker.port());
    }

    /** What every row asserts once its hostile client is done; then the row's own soft assertions are checked. */
    private void assertUnharmed(String row, String figures) {
        HealthyTraffic.Report report = healthy.stop();
        System.out.printf("[hostile] %s: %s; %s; broker RSS peak %d MB (bound %d MB)%n", row, figures, report,
                rss.peakMib(), RssWatch.BOUND_KIB / 1024);
        // what the broker said about it: its warnings (refusals, alarms, drops) and client time-outs
        broker.output().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("timed out"))
                .limit(25).forEach(l -> System.out.println("[hostile]   broker: " + l));
        softly.assertThat(broker.isAlive()).as("broker alive; its output:\n%s", tail()).isTrue();
        softly.assertThat(report.problems()).as("healthy clients' problems").isEmpty();
        softly.assertThat(report.lost()).as("healthy messages lost").isZero();
        softly.assertThat(report.maxLatencyMillis()).as("healthy latency max (ms)").isLessThan(MAX_LATENCY_MILLIS);
        softly.assertThat(rss.peakKib()).as("broker RSS peak (KiB)").isLessThan(RssWatch.BOUND_KIB);
        softly.assertAll();
    }

    private String tail() {
        List<String> lines = broker.output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Test
    void subscribeFloodIsRefusedPastMaxSubscriptions() throws Exception {
        startBroker(Map.of());

        // shipped mqtt.session.max_subscriptions = 10000; 12,000 asked by each of a 3.1.1 and a 5.0 client
        SubscribeFlood.Result v4 = SubscribeFlood.run(broker.port(), 4, "hostile-subs-4", 6);
        SubscribeFlood.Result v5 = SubscribeFlood.run(broker.port(), 5, "hostile-subs-5", 6);

        softly.assertThat(v4.codes()).as("3.1.1 SUBACK codes").isEqualTo(Map.of(1, 10_000, FAILURE, 2_000));
        softly.assertThat(v5.codes()).as("5.0 SUBACK codes").isEqualTo(Map.of(1, 10_000, QUOTA_EXCEEDED, 2_000));
        assertUnharmed("subscribe flood, one client", "3.1.1 " + v4.codes() + ", 5.0 " + v5.codes());
    }

    @Test
    void subscribeFloodFromManyClientsIsRefusedByTheGlobalBudget() throws Exception {
        startBroker(Map.of());

        // 6 clients × 12,000 filters: each stops at 10,000 alone, but 60,000 × ~550 B is past 10% of 256 MB
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch allDone = new CountDownLatch(6);
        List<Future<SubscribeFlood.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int version = i % 2 == 0 ? 4 : 5;
            String id = "hostile-budget-" + i;
            runs.add(pool.submit(() -> SubscribeFlood.run(broker.port(), version, id, 6, allDone)));
        }
        List<SubscribeFlood.Result> results = new ArrayList<>();
        for (Future<SubscribeFlood.Result> run : runs) {
            results.add(run.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        int granted = results.stream().mapToInt(SubscribeFlood.Result::granted).sum();
        for (SubscribeFlood.Result r : results) {
            int refusal = r.version() == 5 ? QUOTA_EXCEEDED : FAILURE;
            softly.assertThat(r.codes().keySet()).as(r.clientId() + " codes").containsOnly(1, refusal);
        }
        softly.assertThat(granted).as("subscriptions granted in all").isLessThan(6 * 10_000)
                .isLessThanOrEqualTo((int) (0.10 * BrokerProcess.HEAP_MB * 1024 * 1024 / 512));
        softly.assertThat(results).as("clients refused below their own 10,000")
                .anyMatch(r -> r.granted() < 10_000);
        softly.assertThat(broker.output()).contains("alarm budget_subscriptions raised");
        assertUnharmed("subscribe flood, 6 clients", "granted " + granted + " in all: " + results.stream()
                .map(r -> r.clientId() + " " + r.codes()).toList());
    }

    @Test
    void retainedFloodIsRefusedByTheRetainedBudget() throws Exception {
        startBroker(Map.of());
        byte[] payload = new byte[60_000];
        try (TopicRecorder live = TopicRecorder.subscribe(broker.port(), "retain-live", "retain/#")) {
            // 600 × 60 KB is past 10% of 256 MB (~440 fit)
            PublishFlood v5 = new PublishFlood(broker.port(), 5, "hostile-retain-5", 32);
            v5.publish(600, i -> "retain/5/" + i, payload, true, 0, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> v5.pubacks() == 600);
            v5.close();
            PublishFlood v4 = new PublishFlood(broker.port(), 4, "hostile-retain-4", 32);
            v4.publish(100, i -> "retain/4/" + i, payload, true, 0, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> v4.pubacks() == 100);
            v4.close();

            Set<String> accepted = new HashSet<>();
            Set<String> refused = new HashSet<>();
            for (int i = 0; i < 600; i++) {
                (v5.codeOf(i) == QUOTA_EXCEEDED ? refused : accepted).add("retain/5/" + i);
            }
            for (int i = 0; i < 100; i++) {
                refused.add("retain/4/" + i);
            }
            softly.assertThat(v5.pubackCodes().keySet()).as("5.0 PUBACK codes").containsOnly(0, QUOTA_EXCEEDED);
            softly.assertThat(v5.pubackCodes().get(QUOTA_EXCEEDED)).as("5.0 refusals").isBetween(100, 200);
            softly.assertThat(v4.pubackCodes()).as("3.1.1 PUBACKs").isEqualTo(Map.of(0, 100));
            softly.assertThat(broker.output()).contains("alarm budget_retained raised",
                    "client hostile-retain-4 (", "retained message to retain/4/0 refused: mqtt.budget.retained");
            // neither routed: the live subscriber saw no refused topic (it may miss accepted ones: its queue is
            // 16 MB and this is 26 MB at once)
            softly.assertThat(live.topics()).as("routed topics").doesNotContainAnyElementsOf(refused).isNotEmpty();
            // nor kept: a sample of each kind, asked one by one
            List<String> sample = new ArrayList<>();
            accepted.stream().sorted().limit(20).forEach(sample::add);
            refused.stream().sorted().limit(40).forEach(sample::add);
            Set<String> kept = TopicRecorder.retainedAmong(broker.port(), sample);
            softly.assertThat(kept).as("retained topics among the sample")
                    .isEqualTo(new HashSet<>(sample.subList(0, 20)));
            assertUnharmed("retained flood", "5.0 PUBACKs " + v5.pubackCodes() + ", 3.1.1 PUBACKs "
                    + v4.pubackCodes() + ", live subscriber got " + live.topics().size() + " topics");
        }
    }

    /** emq.conf: "Replacing or clearing a retained topic is always possible", also with the budget spent. */
    @Test
    void replacingARetainedMessageWorksWithTheRetainedBudgetSpent() throws Exception {
        startBroker(Map.of());
        try (PublishFlood v5 = new PublishFlood(broker.port(), 5, "hostile-replace-5", 32)) {
            v5.publish(500, i -> "replace/" + i, new byte[60_000], true, 0, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> v5.pubacks() == 500);
            softly.assertThat(v5.pubackCodes()).as("PUBACK codes of the flood").containsKey(QUOTA_EXCEEDED);
        }
        byte[] replacement = new byte[60_000];
        Arrays.fill(replacement, (byte) 7);
        int code;
        try (PublishFlood again = new PublishFlood(broker.port(), 5, "hostile-replace-5b", 1)) {
            again.publish(1, i -> "replace/0", replacement, true, 0, Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(10)).until(() -> again.pubacks() == 1);
            code = again.codeOf(0);
        }
        Optional<byte[]> kept = TopicRecorder.retainedPayload(broker.port(), "replace/0");

        softly.assertThat(code).as("PUBACK code of the replacement: success or no matching subscribers")
                .isIn(0, 0x10);
        softly.assertThat(kept).as("retained message of replace/0").hasValueSatisfying(
                p -> assertThat(p).as("its first byte: 7 if replaced, 0 if not").startsWith(7));
        assertUnharmed("retained replacement at the budget", "PUBACK " + code + ", retained payload starts with "
                + kept.map(p -> String.valueOf(p[0])).orElse("nothing"));
    }

    @Test
    void messagesForOfflineSessionsAreDroppedByTheQueueBudgetWithoutStoppingThePublisher() throws Exception {
        startBroker(Map.of());
        for (int i = 0; i < 24; i++) {
            try (RawClient c = RawClient.connected(broker.port(), 4, "hostile-offline-" + i, false)) {
                c.send(Packets.subscribe(4, 1, List.of("offline/all"), 1));
                assertThat(c.read(Duration.ofSeconds(10))).hasValueSatisfying(
                        p -> assertThat(p.type()).isEqualTo(Packets.SUBACK));
                c.send(Packets.disconnect());
            }
        }

        PublishFlood publisher = new PublishFlood(broker.port(), 4, "hostile-offline-pub", 32);
        publisher.publish(1000, i -> "offline/all", new byte[60_000], false, 0, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pubacks() == 1000);
        publisher.close();
        int kept = queuedFor("hostile-offline-0");

        softly.assertThat(publisher.pubacks()).as("PUBACKs").isEqualTo(1000);
        softly.assertThat(broker.output()).contains("alarm budget_queues raised",
                "(mqtt.budget.queues) is spent");
        // 30% of 256 MB / 60 KB ≈ 1,330 messages for 24 sessions; max_bytes 16 MB would keep 279
        softly.assertThat(kept).as("messages kept for one session").isBetween(1, 279);
        assertUnharmed("offline queues", "PUBACKs " + publisher.pubacks() + "/1000, one session got " + kept
                + " on reconnect");
    }

    /** Resumes an offline session and counts what it was kept, acknowledging as it goes. */
    private int queuedFor(String clientId) throws IOException {
        int count = 0;
        try (RawClient c = RawClient.connected(broker.port(), 4, clientId, false)) {
            Optional<Packet> p;
            while ((p = c.read(Duration.ofSeconds(2))).isPresent() && p.get() != RawClient.CLOSED) {
                if (p.get().type() == Packets.PUBLISH) {
                    count++;
                    int topicLength = p.get().u16(0);
                    c.send(Packets.ack(Packets.PUBACK, p.get().u16(2 + topicLength)));
                }
            }
            c.send(Packets.disconnect());
        }
        return count;
    }

    /** May fail today: another branch changes how long a publisher waits for a congested subscriber. */
    @Test
    void subscriberToEverythingThatStopsReadingDoesNotStopPublishers() throws Exception {
        startBroker(Map.of());
        try (RawClient stuck = RawClient.openSmallWindow(broker.port(), 4096)) {
            stuck.send(Packets.connect(4, "hostile-stuck").clean(true).bytes());
            stuck.read(Duration.ofSeconds(10)).orElseThrow();
            stuck.send(Packets.subscribe(4, 1, List.of("#"), 1));
            stuck.read(Duration.ofSeconds(10)).orElseThrow();
            // from here it reads nothing

            PublishFlood publisher = new PublishFlood(broker.port(), 4, "hostile-stuck-pub", 32);
            long start = System.nanoTime();
            try {
                publisher.publish(700, i -> "stuck/" + i, new byte[16 * 1024], false, 0, Duration.ofSeconds(15));
                await().atMost(Duration.ofSeconds(5)).until(() -> publisher.pubacks() == 700);
            } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
                softly.fail("publisher stalled: " + e.getMessage());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int acks = publisher.pubacks();
            publisher.close();
            softly.assertThat(acks).as("PUBACKs").isEqualTo(700);
            assertUnharmed("subscriber to # stops reading", "PUBACKs " + acks + "/700 in " + millis + " ms");
        }
    }

    /** May fail today: another branch changes how long a publisher waits for a congested subscriber. */
    @Test
    void neverReadingSubscriberDoesNotDelayPublisherNorItsPings() throws Exception {
        startBroker(Map.of());
        try (RawClient stuck = RawClient.openSmallWindow(broker.port(), 4096)) {
            stuck.send(Packets.connect(4, "hostile-never-reads").clean(true).bytes());
            stuck.read(Duration.ofSeconds(10)).orElseThrow();
            stuck.send(Packets.subscribe(4, 1, List.of("firehose"), 1));
            stuck.read(Duration.ofSeconds(10)).orElseThrow();

            // scaled from 200k: 20,000 × 1 KiB, a PINGREQ after every 500th PUBLISH
            PublishFlood publisher = new PublishFlood(broker.port(), 4, "hostile-firehose", 64);
            long start = System.nanoTime();
            try {
                publisher.publish(20_000, i -> "firehose", new byte[1024], false, 500, Duration.ofSeconds(20));
                await().atMost(Duration.ofSeconds(5)).until(() -> publisher.pubacks() == 20_000);
            } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
                softly.fail("publisher stalled: " + e.getMessage());
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            int acks = publisher.pubacks();
            // one more, now: answered at once when the publisher is flowing, and it must be if it is held up
            boolean lastPingAnswered = publisher.pingAnsweredWithin(Duration.ofMillis(1000));
            publisher.close();
            softly.assertThat(acks).as("PUBACKs").isEqualTo(20_000);
            softly.assertThat(lastPingAnswered).as("PINGREQ at the end answered within 1 s").isTrue();
            softly.assertThat(publisher.maxPingMillis()).as("PINGRESP delay max (ms)").isLessThanOrEqualTo(200);
            assertUnharmed("never-reading subscriber, 20k × 1 KiB", "PUBACKs " + acks + "/20000 in " + millis
                    + " ms, " + publisher.pingsAnswered() + " PINGRESPs, slowest " + publisher.maxPingMillis()
                    + " ms, PINGREQ at the end " + (lastPingAnswered ? "answered" : "not answered within 1 s"));
        }
    }

    @Test
    void connectTrickledOneByteEveryTwoSecondsIsClosedAtTheIdleTimeout() throws Exception {
        startBroker(LOW_IDLE_TIMEOUT);
        byte[] connect = Packets.connect(4, "hostile-trickle").clean(true).bytes();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (SocketHerd herd = SocketHerd.open(broker.port(), 100)) {
            int[] sent = new int[herd.size()];
            trickle.scheduleAtFixedRate(() -> {
                for (int i = 0; i < herd.size(); i++) {
                    if (sent[i] < connect.length && herd.write(i, connect[sent[i]])) {
                        sent[i]++;
                    }
                }
            }, 0, 2, TimeUnit.SECONDS);
            await().atMost(IDLE.plusSeconds(10)).until(() -> herd.closedCount() == herd.size());
            trickle.shutdownNow();
            List<Long> delays = herd.closeDelaysMillis();
            softly.assertThat(delays).as("ms from connect to close").allSatisfy(
                    d -> assertThat(d).isBetween(IDLE.toMillis() - 100, IDLE.toMillis() + 1500));
            assertUnharmed("100 trickled CONNECTs (idle_timeout 3s)", "closed after " + range(delays) + " ms");
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void illFormedUtf8InTopicOrClientIdIsRefused() throws Exception {
        startBroker(Map.of());
        String figures;
        try (RawClient c = RawClient.connected(broker.port(), 4, "hostile-utf8", true)) {
            c.send(Packets.hex("32 0b 00 06 68 2f c0 80 2f 78 00 07 70"));
            Optional<List<Packet>> before = c.packetsUntilClosed(Duration.ofSeconds(5));
            softly.assertThat(before).as("closed after an ill-formed topic").isPresent();
            softly.assertThat(before.orElse(List.of())).as("packets before the close").isEmpty();
            figures = "topic: closed after " + before.map(List::size).orElse(-1) + " packets";
        }
        for (String tail : List.of("ff", "80")) {
            byte[] id = Packets.hex("68 6f 73 74 69 6c 65 2d 6d " + tail);      // "hostile-m" + the bad byte
            try (RawClient c = RawClient.open(broker.port())) {
                c.send(Packets.connect(4, id).clean(true).bytes());
                Optional<List<Packet>> answer = c.packetsUntilClosed(Duration.ofSeconds(5));
                softly.assertThat(answer).as("client id …6d %s: closed", tail).isPresent();
                softly.assertThat(answer.orElse(List.of())).as("client id …6d %s: no accepting CONNACK", tail)
                        .noneMatch(p -> p.type() == Packets.CONNACK && p.body()[1] == 0);
                figures += "; client id …6d " + tail + ": " + answer.map(this::describe).orElse("not closed");
            }
        }
        assertUnharmed("ill-formed UTF-8", figures);
    }

    @Test
    void malformedPacketsCloseTheConnectionBeforeAnyPingreqIsAnswered() throws Exception {
        startBroker(Map.of());
        StringBuilder figures = new StringBuilder();
        for (String packet : List.of("82 03 00 01 00", "30 01 00", "30 05 00 10 61 62 63", "a2 04 00 01 00 09")) {
            try (RawClient c = RawClient.connected(broker.port(), 4, "hostile-malformed", true)) {
                c.send(Packets.hex(packet + " c0 00"));
                Optional<List<Packet>> answer = c.packetsUntilClosed(Duration.ofSeconds(5));
                softly.assertThat(answer).as("%s: closed", packet).isPresent();
                softly.assertThat(answer.orElse(List.of())).as("%s: no PINGRESP", packet)
                        .noneMatch(p -> p.type() == Packets.PINGRESP);
                figures.append(packet).append(": ").append(answer.map(this::describe).orElse("not closed"))
                        .append("; ");
            }
        }
        assertUnharmed("malformed packets + PINGREQ", figures.toString());
    }

    @Test
    void silentSocketsAreClosedAtTheConnectTimeout() throws Exception {
        startBroker(LOW_IDLE_TIMEOUT);
        try (SocketHerd herd = SocketHerd.open(broker.port(), 500)) {
            await().atMost(IDLE.plusSeconds(10)).until(() -> herd.closedCount() == herd.size());
            List<Long> delays = herd.closeDelaysMillis();
            softly.assertThat(delays).as("ms from connect to close").allSatisfy(
                    d -> assertThat(d).isBetween(IDLE.toMillis() - 100, IDLE.toMillis() + 1500));
            assertUnharmed("500 silent sockets (idle_timeout 3s)", "closed after " + range(delays) + " ms");
        }
    }

    @Test
    void connectionsPastMaxClientsAreRefusedQuicklyAndTheBrokerStillAccepts() throws Exception {
        startBroker(Map.of("listener.tcp.external.max_clients", "200"));
        int healthyConnections = 2 * HealthyTraffic.PAIRS;
        String figures;
        try (SocketHerd herd = SocketHerd.open(broker.port(), 1000)) {
            int refused = 1000 - (200 - healthyConnections);
            await().atMost(Duration.ofSeconds(10)).until(() -> herd.closedCount() >= refused);
            List<Long> delays = herd.closeDelaysMillis();
            softly.assertThat(delays).as("sockets closed").hasSize(refused);
            softly.assertThat(delays).as("ms from connect to refusal").allSatisfy(
                    d -> assertThat(d).isLessThan(1000));
            figures = refused + " refused after " + range(delays) + " ms";
        }
        // the herd is gone: room again for a new client
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (RawClient c = RawClient.connected(broker.port(), 4, "after-the-herd", true)) {
                c.send(Packets.disconnect());
            }
        });
        assertUnharmed("1000 sockets past max_clients 200", figures + ", a new client then connected");
    }

    @Test
    void connectDisconnectCyclesLeakNeitherFilesNorMemory() throws Exception {
        startBroker(Map.of());
        cycles(300, "warm-");
        long filesBefore = broker.openFiles();
        long rssBefore = broker.rssKib();
        long heapBefore = broker.liveHeapBytes();
        long start = System.nanoTime();
        cycles(3000, "cycle-");
        long millis = (System.nanoTime() - start) / 1_000_000;
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.openFiles() <= filesBefore + 2);
        long filesAfter = broker.openFiles();
        long rssAfter = broker.rssKib();
        long heapAfter = broker.liveHeapBytes();

        // what leaks stays live after a full GC: 3,000 sessions and channels of ~4 KB each would be 12 MB. RSS is
        // reported, not bounded: it keeps whatever heap the JVM grew into meanwhile (up to -Xmx, which
        // assertUnharmed's RSS bound covers), so it says little about leaks
        softly.assertThat(heapAfter - heapBefore).as("live heap growth over 3,000 cycles (bytes, after a full GC)")
                .isLessThan(2 * 1024 * 1024);
        assertUnharmed("3,000 connect/disconnect cycles", "in " + millis + " ms; open files " + filesBefore + " → "
                + filesAfter + ", live heap " + heapBefore / 1024 + " → " + heapAfter / 1024 + " KiB, RSS "
                + rssBefore / 1024 + " → " + rssAfter / 1024 + " MB");
    }

    private void cycles(int count, String prefix) throws IOException {
        for (int i = 0; i < count; i++) {
            try (RawClient c = RawClient.connected(broker.port(), 4, prefix + i, true)) {
                c.send(Packets.disconnect());
                assertThat(c.packetsUntilClosed(Duration.ofSeconds(5))).as("closed after DISCONNECT").isPresent();
            }
        }
    }

    @Test
    void hundredThousandFiltersAreRefusedPastALowerMaxSubscriptions() throws Exception {
        startBroker(Map.of("mqtt.session.max_subscriptions", "1000"));

        SubscribeFlood.Result flood = SubscribeFlood.run(broker.port(), 4, "hostile-100k", 50);

        softly.assertThat(flood.codes()).as("SUBACK codes").isEqualTo(Map.of(1, 1000, FAILURE, 99_000));
        assertUnharmed("100k filters, max_subscriptions 1000", "SUBACK codes " + flood.codes());
    }

    private String describe(List<Packet> packets) {
        return "closed after " + (packets.isEmpty() ? "nothing" : packets.stream()
                .map(p -> "type " + p.type() + (p.type() == Packets.CONNACK ? " code " + p.body()[1] : ""))
                .toList());
    }

    private static String range(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElse(-1) + "–"
                + values.stream().mapToLong(Long::longValue).max().orElse(-1);
    }

}
