package io.jemq.auth.http;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jemq.auth.http.HttpFixture.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CONNECT against a real local HTTP server with EMQ 2.x's keys as EMQ shipped them: allow, deny, {@code ignore}, the
 * superuser asked at CONNECT (and from a JSON answer), and the server down or too slow: "server unavailable" within
 * the timeout, other clients unaffected, and back when the server is.
 */
class HttpAuthIT {
    private static final int DENIED = 0x87;
    private static AuthServer server;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        server = AuthServer.http();
        broker = EmbeddedBroker.builder()
                .set("mqtt.allow_anonymous", "false", "mqtt.acl_cache.enable", "off")
                .pluginConf(HttpFixture.PLUGIN, """
                        auth.http.auth_req = %1$s/mqtt/auth
                        auth.http.auth_req.method = post
                        auth.http.auth_req.params = clientid=%%c,username=%%u,password=%%P
                        auth.http.super_req = %1$s/mqtt/superuser
                        auth.http.super_req.method = post
                        auth.http.super_req.params = clientid=%%c,username=%%u
                        auth.http.acl_req = %1$s/mqtt/acl
                        auth.http.acl_req.method = get
                        auth.http.acl_req.params = access=%%A,username=%%u,clientid=%%c,ipaddr=%%a,topic=%%t
                        auth.http.timeout = 2s
                        auth.http.connect_timeout = 1s
                        """.formatted(server.url("")))
                .loaded(HttpFixture.PLUGIN).start();
        scriptServer();
        // the first request of a JVM sets up the HTTP client and the server's threads: not what the tests measure
        await().atMost(Duration.ofSeconds(30)).until(() -> connack("warm-up", "alice", "secret") == 0);
    }

    @AfterAll
    static void stop() {
        broker.close();
        server.close();
    }

    /** alice/secret and root/rootpw exist, ghost is not the server's to decide, json-su says it all in JSON. */
    @BeforeEach
    void reset() {
        scriptServer();
        server.clear();
    }

    private static void scriptServer() {
        server.answer(r -> switch (r.path()) {
            case "/mqtt/auth" -> switch (r.params().get("username")) {
                case "alice" -> r.params().get("password").equals("secret") ? AuthServer.Reply.ok()
                        : new AuthServer.Reply(401, "");
                case "root" -> AuthServer.Reply.ok();
                case "ghost" -> new AuthServer.Reply(200, "ignore");
                case "json-su" -> new AuthServer.Reply(200, "{\"result\": \"allow\", \"is_superuser\": true}");
                default -> new AuthServer.Reply(404, "");
            };
            case "/mqtt/superuser" -> r.params().get("username").equals("root") ? AuthServer.Reply.ok()
                    : new AuthServer.Reply(403, "");
            default -> new AuthServer.Reply(403, "");                      // acl_req denies every topic
        });
    }

    private static int connack(String id, String user, String password) {
        return Clients.connack3(broker.port(), id, user, password);
    }

    @Test
    void allowDenyAndIgnoreAtConnect() {
        var before = HttpFixture.counters(broker);
        assertThat(connack("c1", "alice", "secret")).isZero();
        assertThat(server.last("/mqtt/auth").method()).isEqualTo("POST");
        assertThat(server.last("/mqtt/auth").body()).isEqualTo("clientid=c1&username=alice&password=secret");
        assertThat(connack("c2", "alice", "guess")).isEqualTo(4);           // 4xx: bad user name or password
        assertThat(connack("c3", "ghost", "x")).isEqualTo(5);               // ignore: anonymous refused here
        long asked = server.count("/mqtt/auth");
        assertThat(connack("c4", null, null)).isEqualTo(5);                 // no username: not asked at all
        assertThat(server.count("/mqtt/auth")).isEqualTo(asked);
        var counted = HttpFixture.since(before, HttpFixture.counters(broker));
        assertThat(counted).containsEntry("auth_req/allow", 1L).containsEntry("auth_req/deny", 1L)
                .containsEntry("auth_req/ignore", 2L);
    }

    @Test
    void theSuperuserAskedAtConnectSkipsEveryAclCheck() {
        Mqtt5BlockingClient root = Clients.connect5(broker.port(), "su", "root", "pw");
        Mqtt5BlockingClient alice = Clients.connect5(broker.port(), "al", "alice", "secret");

        assertThat(server.last("/mqtt/superuser").body()).isEqualTo("clientid=al&username=alice");
        assertThat(publish(root, "any/topic")).isZero();
        assertThat(server.count("/mqtt/acl")).isZero();
        assertThat(publish(alice, "any/topic")).isEqualTo(DENIED);
        assertThat(server.last("/mqtt/acl").rawQuery())
                .isEqualTo("access=2&username=alice&clientid=al&ipaddr=127.0.0.1&topic=any%2Ftopic");
        root.disconnect();
        alice.disconnect();
    }

    @Test
    void aSuperReqThatFailsGivesNoSuperuserRightsAndIsLoggedOnce() {
        HttpFixture.update(broker, "auth.http.super_req", "http://127.0.0.1:1/mqtt/superuser");  // refused
        try (LogCapture log = new LogCapture("io.jemq")) {
            Mqtt5BlockingClient first = Clients.connect5(broker.port(), "su-down-1", "root", "pw");
            Mqtt5BlockingClient second = Clients.connect5(broker.port(), "su-down-2", "root", "pw");

            assertThat(publish(first, "any/topic")).isEqualTo(DENIED);     // let in (EMQ), but not a superuser
            assertThat(log.messages(Level.WARN).stream().filter(m -> m.contains("super_req")
                    && m.contains("clients connect without superuser rights"))).hasSize(1);
            first.disconnect();
            second.disconnect();
        } finally {
            HttpFixture.update(broker, "auth.http.super_req", server.url("/mqtt/superuser"));
        }
        Mqtt5BlockingClient root = Clients.connect5(broker.port(), "su-back", "root", "pw");
        assertThat(publish(root, "any/topic")).isZero();
        root.disconnect();
    }

    @Test
    void aJsonAnswerSaysWhetherTheClientIsASuperuser() {
        Mqtt5BlockingClient su = Clients.connect5(broker.port(), "js", "json-su", "pw");

        assertThat(publish(su, "any/topic")).isZero();
        assertThat(server.count("/mqtt/superuser")).isZero();              // the answer said it already
        assertThat(server.count("/mqtt/acl")).isZero();
        su.disconnect();
    }

    @Test
    void atMostPoolSizeRequestsAreInFlightTheOthersWaitTheirTurn() throws Exception {
        HttpFixture.update(broker, "auth.http.pool_size", "2", "auth.http.timeout", "10s");
        server.hold();
        try {
            List<CompletableFuture<Integer>> connects = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "queued-" + i;
                connects.add(CompletableFuture.supplyAsync(() -> connack(id, "alice", "secret")));
            }
            await().until(() -> server.count("/mqtt/auth") == 2);
            // and no third is sent while those two are held
            await().during(Clients.QUIET).atMost(Clients.WAIT).until(() -> server.count("/mqtt/auth") == 2);

            server.release();
            for (CompletableFuture<Integer> c : connects) {
                assertThat(c.get(10, TimeUnit.SECONDS)).isZero();
            }
            assertThat(server.count("/mqtt/auth")).isEqualTo(4);
        } finally {
            server.release();
            HttpFixture.update(broker, "auth.http.pool_size", "32", "auth.http.timeout", "2s");
        }
    }

    @Test
    void aSlowOrStoppedServerRefusesWithServerUnavailableAndOthersCarryOn() throws Exception {
        Mqtt5BlockingClient root = Clients.connect5(broker.port(), "watcher", "root", "pw");
        var received = Clients.publishes(root);
        root.subscribeWith().topicFilter("live/#").qos(MqttQos.AT_LEAST_ONCE).send();
        var before = HttpFixture.counters(broker);
        server.clear();                                                      // the watcher's own requests
        try (LogCapture log = new LogCapture("io.jemq")) {
            server.hold();                                                   // accepts, never answers
            long t0 = System.nanoTime();
            CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> connack("slow", "alice", "secret"));
            await().until(() -> server.count("/mqtt/auth") == 1);
            // meanwhile a connected client is served as usual: nothing waits on the auth server but "slow"
            assertThat(publish(root, "live/1")).isZero();
            assertThat(Clients.text(Clients.next(received))).isEqualTo("x");
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(3);        // CONNACK 3: server unavailable
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));

            server.stop();                                                   // now refused at once
            for (int i = 0; i < 3; i++) {
                assertThat(connack("down-" + i, "alice", "secret")).isEqualTo(3);
            }
            assertThat(log.messages(Level.WARN).stream()
                    .filter(m -> m.startsWith("authentication source emq_auth_http is unavailable")))
                    .hasSize(1);                                              // the outage is logged once
            assertThat(HttpFixture.since(before, HttpFixture.counters(broker))).containsEntry("auth_req/error", 4L);
            assertThat(publish(root, "live/2")).isZero();

            server.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> connack("back", "alice", "secret") == 0);
            await().untilAsserted(() -> assertThat(log.messages(Level.INFO))
                    .anyMatch(m -> m.contains("emq_auth_http answers again")));
        } finally {
            server.release();
            if (!server.listening()) {
                server.restart();
            }
            root.disconnect();
        }
    }
}
