package io.jemq.auth.http;

import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench item of issue 11, run by hand (not named *Test or *IT, so the suite leaves it out): {@code mvn -o verify
 * -pl api,broker,auth-plugins -Dtest=HttpAuthBench [-Djemq.bench.seconds=10]}. With {@code THREADS} clients in a loop
 * each, it measures what the local HTTP server answers by itself (java.net.http, the same client library), then
 * CONNECTs per second with auth_req, and QoS 1 publishes per second with acl_req asked every time (cache off) and with
 * the plugin's cache on, each next to the same without the plugin. The broker's own ACL cache is off, so the plugin's
 * is what is measured. Prints one line per figure; docs/performance.md keeps them.
 */
class HttpAuthBench {
    private static final int THREADS = 16;
    private static final Duration RUN = Duration.ofSeconds(Integer.getInteger("jemq.bench.seconds", 5));
    private static final AtomicInteger IDS = new AtomicInteger();

    @Test
    void connectAndPublishRatesNextToTheServersOwn() throws Exception {
        try (AuthServer server = AuthServer.http(); EmbeddedBroker b = EmbeddedBroker.builder()
                .set("mqtt.acl_cache.enable", "off")
                .pluginConf(HttpFixture.PLUGIN, """
                        auth.http.auth_req = %1$s/mqtt/auth
                        auth.http.acl_req = %1$s/mqtt/acl
                        auth.http.acl_req.method = post
                        """.formatted(server.url(""))).loaded(HttpFixture.PLUGIN).start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest post = HttpRequest.newBuilder(URI.create(server.url("/mqtt/acl")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("clientid=c&username=u&topic=a%2Fb&access=2")).build();
            Callable<Void> serverCall = () -> {
                http.send(post, HttpResponse.BodyHandlers.ofString());
                return null;
            };
            rate("warm-up", serverCall);
            report("http server alone (requests/s)", rate("server", serverCall));

            Callable<Void> connect = () -> {
                try (RawClient c = RawClient.open(b.port())) {
                    assertThat(c.connect(Packets.connect(4, "b-" + IDS.incrementAndGet()).credentials("u", "p"))
                            .connackCode()).isZero();
                }
                return null;
            };
            rate("warm-up", connect);
            withServerRate("CONNECT with auth_req (connects/s)", server, () -> rate("connect", connect));

            HttpFixture.update(b, "auth.http.acl_cache_ttl", "0s");
            withServerRate("QoS 1 publish, acl_req every time (publishes/s)", server, () -> publishRate(b));
            HttpFixture.update(b, "auth.http.acl_cache_ttl", "60s");
            withServerRate("QoS 1 publish, plugin cache on (publishes/s)", server, () -> publishRate(b));

            b.broker().plugins().unload(HttpFixture.PLUGIN);
            report("CONNECT without the plugin (connects/s)", rate("connect", connect));
            report("QoS 1 publish without the plugin (publishes/s)", publishRate(b));
        }
    }

    private static double publishRate(EmbeddedBroker b) throws Exception {
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            RawClient c = RawClient.open(b.port());
            c.connect(Packets.connect(4, "p-" + IDS.incrementAndGet()).credentials("u", "p"));
            clients.add(c);
        }
        AtomicInteger next = new AtomicInteger();
        ThreadLocal<RawClient> mine = ThreadLocal.withInitial(() -> clients.get(next.getAndIncrement()));
        ThreadLocal<int[]> packetId = ThreadLocal.withInitial(() -> new int[1]);
        Callable<Void> publish = () -> {
            int[] id = packetId.get();
            id[0] = id[0] % 65_535 + 1;
            RawClient c = mine.get();
            c.send(Packets.publish(4, "bench/" + (id[0] % 4), 1, id[0], "x"));
            c.expect(Packets.PUBACK);
            return null;
        };
        try {
            return rate("publish", publish);
        } finally {
            for (RawClient c : clients) {
                c.close();
            }
        }
    }

    /** Reports what {@code run} measures and, next to it, the requests per second the server got meanwhile. */
    private static void withServerRate(String what, AuthServer server, Callable<Double> run) throws Exception {
        server.clear();
        long t0 = System.nanoTime();
        double rate = run.call();
        double seconds = (System.nanoTime() - t0) / 1e9;
        report(what, rate);
        report("  requests/s the server got meanwhile", server.requests().size() / seconds);
        server.clear();
    }

    /** Runs {@code op} in a loop on {@code THREADS} threads for {@code RUN}; operations per second. */
    private static double rate(String name, Callable<Void> op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> new Thread(r, "bench-" + name));
        long end = System.nanoTime() + RUN.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < THREADS; i++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    op.call();
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (Future<Long> f : counts) {
            total += f.get();
        }
        pool.shutdown();
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    private static void report(String what, double perSecond) {
        System.out.printf("BENCH %-50s %10.0f%n", what, perSecond);
    }
}
