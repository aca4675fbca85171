package io.jemq.routing;

import static io.jemq.routing.TestSubscriber.qos;
import static org.assertj.core.api.Assertions.assertThat;

import io.jemq.config.SharedStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RouterConcurrencyTest {

    private static final int ROUTERS = 3;
    private static final int CHURNERS = 3;
    private static final int CHURN_ROUNDS = 3_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(ROUTERS + CHURNERS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SharedStrategy.class)
    void routingDuringChurnAlwaysSeesTheStableSubscriptionsAndEndsInTheRightState(SharedStrategy strategy)
            throws Exception {
        Router router = new Router(strategy);
        TestSubscriber stable = new TestSubscriber("stable");
        TestSubscriber stableMember = new TestSubscriber("stable-member");
        router.subscribe(stable, TopicFilter.parse("load/#"), qos(1));
        router.subscribe(stableMember, TopicFilter.parse("$share/g/load/+/x"), qos(1));

        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicLong routed = new AtomicLong();
        List<Future<?>> routers = new ArrayList<>();
        for (int r = 0; r < ROUTERS; r++) {
            routers.add(pool.submit(() -> {
                Deliveries out = new Deliveries();
                start.await();
                // at least some routes, however fast the churn finishes
                while (churning.get() || routed.get() < 1_000) {
                    out.clear();
                    router.route("load/" + ThreadLocalRandom.current().nextInt(20) + "/x", "pub", out);
                    assertStableDeliveries(out, stable);
                    routed.incrementAndGet();
                }
                return null;
            }));
        }
        List<TestSubscriber> finalSubscribers = new ArrayList<>();
        List<Future<?>> churners = new ArrayList<>();
        for (int c = 0; c < CHURNERS; c++) {
            TestSubscriber mine = new TestSubscriber("churn-" + c);
            finalSubscribers.add(mine);
            churners.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < CHURN_ROUNDS; i++) {
                    TopicFilter f = randomFilter(random);
                    if (random.nextBoolean()) {
                        router.subscribe(mine, f, qos(random.nextInt(3)));
                    } else {
                        router.unsubscribe(mine, f);
                    }
                }
                // leave a known state behind: everything off, then exactly one shared and one plain
                for (int k = 0; k < 20; k++) {
                    for (String f : List.of("load/" + k + "/x", "load/" + k + "/#", "load/+/" + k)) {
                        router.unsubscribe(mine, TopicFilter.parse(f));
                        router.unsubscribe(mine, TopicFilter.parse("$share/g/" + f));
                        router.unsubscribe(mine, TopicFilter.parse("$share/h/" + f));
                    }
                }
                for (String f : List.of("load/+/x", "load/#", "+/+/x")) {
                    router.unsubscribe(mine, TopicFilter.parse(f));
                    router.unsubscribe(mine, TopicFilter.parse("$share/g/" + f));
                    router.unsubscribe(mine, TopicFilter.parse("$share/h/" + f));
                }
                router.subscribe(mine, TopicFilter.parse("load/3/x"), qos(2));
                router.subscribe(mine, TopicFilter.parse("$share/g/load/+/x"), qos(0));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : churners) {
            f.get(60, TimeUnit.SECONDS);
        }
        churning.set(false);
        for (Future<?> f : routers) {
            f.get(60, TimeUnit.SECONDS);
        }

        assertThat(router.subscriptionCount()).isEqualTo(2 + 2 * CHURNERS);
        assertThat(router.topicCount()).isEqualTo(3);
        Deliveries out = new Deliveries();
        router.route("load/3/x", "pub", out);
        assertThat(out.size()).isEqualTo(2 + CHURNERS);
        for (TestSubscriber s : finalSubscribers) {
            int plain = 0;
            for (int i = 0; i < out.size(); i++) {
                if (out.subscriber(i) == s && !out.shared(i)) {
                    plain++;
                    assertThat(out.qos(i)).isEqualTo(2);
                }
            }
            assertThat(plain).isEqualTo(1);
        }
        // once everything leaves, nothing is left in the trie
        for (TestSubscriber s : finalSubscribers) {
            router.unsubscribe(s, TopicFilter.parse("load/3/x"));
            router.unsubscribe(s, TopicFilter.parse("$share/g/load/+/x"));
        }
        router.unsubscribe(stable, TopicFilter.parse("load/#"));
        router.unsubscribe(stableMember, TopicFilter.parse("$share/g/load/+/x"));
        assertThat(router.nodeCount()).isZero();
    }

    @Test
    void concurrentSubscribersOfOneFilterAreAllKept() throws Exception {
        Router router = new Router(SharedStrategy.RANDOM);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<TestSubscriber>>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                start.await();
                List<TestSubscriber> mine = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    TestSubscriber s = new TestSubscriber("t" + thread + "-" + i);
                    router.subscribe(s, TopicFilter.parse("shared/topic"), qos(0));
                    mine.add(s);
                }
                return mine;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<List<TestSubscriber>> f : results) {
            total += f.get(60, TimeUnit.SECONDS).size();
        }
        Deliveries out = new Deliveries();
        router.route("shared/topic", null, out);
        assertThat(out.size()).isEqualTo(total);
        assertThat(router.subscriptionCount()).isEqualTo(total);
    }

    /** The stable subscriber once, plain; share group g once (it always has its stable member); nothing else twice. */
    private static void assertStableDeliveries(Deliveries out, Subscriber stable) {
        int stablePlain = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.subscriber(i) == stable && !out.shared(i)) {
                stablePlain++;
                if (out.qos(i) != 1) {
                    throw new AssertionError("stable delivery at QoS " + out.qos(i));
                }
            }
            for (int j = i + 1; j < out.size(); j++) {
                if (out.subscriber(j) == out.subscriber(i) && !out.shared(i) && !out.shared(j)) {
                    throw new AssertionError("two plain deliveries for " + out.subscriber(i));
                }
            }
        }
        if (stablePlain != 1) {
            throw new AssertionError("stable subscriber got " + stablePlain + " plain deliveries");
        }
        int shared = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.shared(i)) {
                shared++;
            }
        }
        if (shared < 1) {
            throw new AssertionError("share group g delivered nothing");
        }
    }

    private static TopicFilter randomFilter(ThreadLocalRandom random) {
        int k = random.nextInt(20);
        String plain = switch (random.nextInt(6)) {
            case 0 -> "load/" + k + "/x";
            case 1 -> "load/" + k + "/#";
            case 2 -> "load/+/" + k;
            case 3 -> "load/+/x";
            case 4 -> "load/#";
            default -> "+/+/x";
        };
        return switch (random.nextInt(3)) {
            case 0 -> TopicFilter.parse("$share/g/" + plain);
            case 1 -> TopicFilter.parse("$share/h/" + plain);
            default -> TopicFilter.parse(plain);
        };
    }
}
