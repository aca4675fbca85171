package io.jemq.store.memory;

import io.jemq.store.Put;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetainedStoreTest {

    private static final List<String> TOPICS = List.of("a", "a/b", "a/b/c", "a/c/c", "a//c", "/x", "b", "a/b/c/d",
            "$SYS/brokers/uptime", "$SYS/x", "a/$x");

    @Test
    void putReplaceAndRemove() {
        RetainedStore<String> store = new RetainedStore<>(0);

        assertThat(store.put("a/b", "v1")).isEqualTo(new Put<>(true, null));
        assertThat(store.put("a/b", "v2")).isEqualTo(new Put<>(true, "v1"));
        assertThat(store.get("a/b")).isEqualTo("v2");
        assertThat(store.size()).isEqualTo(1);

        assertThat(store.remove("a/b")).isEqualTo("v2");
        assertThat(store.remove("a/b")).isNull();
        assertThat(store.get("a/b")).isNull();
        assertThat(store.size()).isZero();
        assertThat(store.indexNodeCount()).isZero();
    }

    @Test
    void aFullStoreRefusesNewTopicsButStillReplaces() {
        RetainedStore<String> store = new RetainedStore<>(2);
        store.put("a", "1");
        store.put("b", "2");

        assertThat(store.put("c", "3").stored()).isFalse();
        assertThat(store.get("c")).isNull();
        assertThat(store.put("a", "1b")).isEqualTo(new Put<>(true, "1"));

        store.remove("b");
        assertThat(store.put("c", "3").stored()).isTrue();
        assertThat(store.size()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            #            | a a/b a/b/c a/c/c a//c /x b a/b/c/d a/$x
            a/#          | a a/b a/b/c a/c/c a//c a/b/c/d a/$x
            a/+          | a/b a/$x
            a/+/c        | a/b/c a/c/c a//c
            +/+/c        | a/b/c a/c/c a//c
            +            | a b
            +/x          | /x
            /+           | /x
            a/b/c        | a/b/c
            a/b/#        | a/b a/b/c a/b/c/d
            nothing/#    |
            $SYS/#       | $SYS/brokers/uptime $SYS/x
            $SYS/+       | $SYS/x
            +/brokers/+  |
            """)
    void matchFollowsMqttRules(String filter, String expected) {
        RetainedStore<String> store = new RetainedStore<>(0);
        TOPICS.forEach(t -> store.put(t, "v:" + t));

        List<String> got = new ArrayList<>();
        store.match(filter, got::add);

        List<String> want = expected == null ? List.of()
                : List.of(expected.trim().split(" +")).stream().map(t -> "v:" + t).toList();
        assertThat(got).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void forEachSeesEverything() {
        RetainedStore<String> store = new RetainedStore<>(0);
        TOPICS.forEach(t -> store.put(t, "v:" + t));
        Map<String, String> seen = new HashMap<>();
        store.forEach(seen::put);
        assertThat(seen).hasSize(TOPICS.size()).containsEntry("a//c", "v:a//c");
    }

    @Test
    void removingEveryTopicEmptiesTheIndex() {
        RetainedStore<Integer> store = new RetainedStore<>(0);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                store.put("dev/" + i + "/state", i);
                store.put("dev/" + i, i);
            }
            for (int i = 0; i < 300; i++) {
                store.remove("dev/" + i + "/state");
                store.remove("dev/" + i);
            }
            assertThat(store.indexNodeCount()).isZero();
        }
    }

    @Test
    void concurrentPutsRespectTheLimit() throws Exception {
        RetainedStore<Integer> store = new RetainedStore<>(100);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> stored = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                stored.add(pool.submit(() -> {
                    start.await();
                    int n = 0;
                    for (int i = 0; i < 100; i++) {
                        if (store.put("t" + thread + "/" + i, i).stored()) {
                            n++;
                        }
                    }
                    return n;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : stored) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(100);
            assertThat(store.size()).isEqualTo(100);
            List<Integer> all = new ArrayList<>();
            store.match("#", all::add);
            assertThat(all).hasSize(100);
        } finally {
            pool.shutdownNow();
        }
    }
}
