package io.jemq.auth.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.jemq.auth.http.HttpFixture.publish;
import static io.jemq.auth.http.HttpFixture.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish and subscribe checks against a real local HTTP server, with real MQTT clients: the seed 003 request byte for
 * byte, the ACL cache, the per-check super user, EMQ 2.x's ignore, JSON and form bodies, GET queries, headers. The
 * broker's own per-connection ACL cache is off, so every check reaches the plugin and the server's count shows what
 * the plugin sent.
 */
class HttpAclIT {
    private static final int DENIED = 0x87;
    private static AuthServer server;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        server = AuthServer.http();
        // the broker's own ACL cache stays on (its default): it must not keep the plugin's answers
        broker = EmbeddedBroker.builder()
                // EMQ 2.x "ignore" passes a check on: acl.conf allows only alice's ignored/# then denies
                .acl("{allow, {user, \"alice\"}, publish, [\"ignored/#\"]}.\n{deny, all}.\n")
                .pluginConf(HttpFixture.PLUGIN, "")
                .loaded(HttpFixture.PLUGIN).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
        server.close();
    }

    /** Seed 003's configuration, the cache off, no super user. */
    @BeforeEach
    void seedConfiguration() {
        Map<String, String> reset = new java.util.HashMap<>();
        HttpFixture.live(broker).current().keySet().forEach(k -> reset.put(k, null));
        reset.putAll(Map.of(
                "auth.http.acl_req.url", server.url("/mqtt/acl"),
                "auth.http.acl_req.method", "post",
                "auth.http.acl_req.headers.content-type", "application/x-www-form-urlencoded",
                "auth.http.acl_req.params", "clientid=%c,username=%u,topic=%t,access=%A"));
        HttpFixture.live(broker).update(reset);
        server.answer(r -> AuthServer.Reply.ok());
        server.clear();
    }

    private static Mqtt5BlockingClient client(String id, String user) {
        return Clients.connect5(broker.port(), id, user, "pw");
    }

    @Test
    void seed003ExampleIsSentByteForByte() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> answerOnce(raw));
            update(broker, "auth.http.acl_req.url", "http://127.0.0.1:" + raw.getLocalPort() + "/mqtt/acl");
            Mqtt5BlockingClient c = client("sensor-01", "sensor-user");

            assertThat(publish(c, "home/temp")).isZero();
            String request = seen.get(10, TimeUnit.SECONDS);

            assertThat(request).startsWith("POST /mqtt/acl HTTP/1.1\r\n")
                    .contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n")
                    .endsWith("\r\n\r\nclientid=sensor-01&username=sensor-user&topic=home%2Ftemp&access=2");
            c.disconnect();
        }
    }

    /** Reads one request (head and Content-Length body) as bytes and answers 200. */
    private static String answerOnce(ServerSocket raw) {
        try (Socket s = raw.accept()) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                head.write(in.read());
            }
            String h = head.toString(StandardCharsets.ISO_8859_1);
            int length = Integer.parseInt(h.replaceAll("(?is).*\r\ncontent-length: *(\\d+).*", "$1"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(
                    StandardCharsets.US_ASCII));
            out.flush();
            return h + body;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAllowIsReusedWithinTheTtlADenyIsAskedEveryTimeAndTheTtlEnds() {
        var before = HttpFixture.counters(broker);
        update(broker, "auth.http.acl_cache_ttl", "2s");
        server.answer(r -> r.params().get("topic").startsWith("deny/") ? new AuthServer.Reply(403, "")
                : AuthServer.Reply.ok());
        Mqtt5BlockingClient c = client("cache-1", "carol");

        assertThat(publish(c, "home/temp")).isZero();
        assertThat(publish(c, "home/temp")).isZero();
        assertThat(server.count("/mqtt/acl")).isEqualTo(1);                  // the second came from the cache
        assertThat(publish(c, "deny/me")).isEqualTo(DENIED);
        assertThat(publish(c, "deny/me")).isEqualTo(DENIED);
        assertThat(server.count("/mqtt/acl")).isEqualTo(3);                  // a deny is asked again
        assertThat(HttpFixture.since(before, HttpFixture.counters(broker))).containsEntry("acl_cache/hit", 1L);

        // once the TTL is over the allow is asked again (publishing meanwhile: those are hits)
        await().atMost(Duration.ofSeconds(10)).until(() -> publish(c, "home/temp") == 0
                && server.count("/mqtt/acl") == 4);
        c.disconnect();
    }

    @Test
    void withTtlZeroEveryCheckIsSent() {
        Mqtt5BlockingClient c = client("cache-0", "carol");

        for (int i = 0; i < 3; i++) {
            assertThat(publish(c, "home/temp")).isZero();
        }

        assertThat(server.count("/mqtt/acl")).isEqualTo(3);
        c.disconnect();
    }

    @Test
    void aSuperUserAnsweredPerCheckBypassesTheTopicAcl() {
        update(broker, "auth.http.super_req.url", server.url("/mqtt/superuser"),
                "auth.http.super_req.params", "clientid=%c,username=%u,access=%A,topic=%t");
        server.answer(r -> r.path().equals("/mqtt/superuser") && r.params().get("username").equals("root")
                ? AuthServer.Reply.ok() : new AuthServer.Reply(403, ""));        // acl_req denies everything
        Mqtt5BlockingClient root = client("su-1", "root");
        Mqtt5BlockingClient plain = client("su-2", "pat");

        assertThat(publish(root, "any/topic")).isZero();
        assertThat(server.count("/mqtt/acl")).isZero();                      // acl_req was not asked
        assertThat(server.last("/mqtt/superuser").params()).containsEntry("access", "2")
                .containsEntry("topic", "any/topic");
        assertThat(publish(plain, "any/topic")).isEqualTo(DENIED);
        assertThat(server.count("/mqtt/superuser")).isEqualTo(2);
        assertThat(server.count("/mqtt/acl")).isEqualTo(1);                  // not a super user: acl_req decides
        root.disconnect();
        plain.disconnect();
    }

    @Test
    void emq2xIgnoreHandsTheCheckToTheNextSource() {
        var before = HttpFixture.counters(broker);
        server.answer(r -> new AuthServer.Reply(200, "ignore"));
        Mqtt5BlockingClient alice = client("ig-1", "alice");
        Mqtt5BlockingClient bob = client("ig-2", "bob");

        assertThat(publish(alice, "ignored/a")).isZero();                    // acl.conf allows alice
        assertThat(publish(bob, "ignored/a")).isEqualTo(DENIED);             // acl.conf denies everyone else
        server.answer(r -> AuthServer.Reply.ok());
        assertThat(publish(bob, "ignored/a")).isZero();                      // a plain 200 decides by itself

        assertThat(HttpFixture.since(before, HttpFixture.counters(broker))).containsEntry("acl_req/ignore", 2L)
                .containsEntry("acl_req/allow", 1L);
        alice.disconnect();
        bob.disconnect();
    }

    @Test
    void subscribeIsCheckedWithAccessOne() throws Exception {
        server.answer(r -> r.params().get("access").equals("1") ? new AuthServer.Reply(403, "")
                : AuthServer.Reply.ok());
        Mqtt5BlockingClient c = client("sub-1", "sam");

        assertThat(publish(c, "a/b")).isZero();
        assertThat(HttpFixture.subscribeCode(broker.port(), "sub-3", "sam", "a/+")).isEqualTo(0x80);
        assertThat(server.last("/mqtt/acl").params()).containsEntry("topic", "a/+").containsEntry("access", "1");
        c.disconnect();
    }

    @Test
    void aJsonBodyAFormBodyAGetQueryAndTheConfiguredHeaders() throws Exception {
        update(broker, "auth.http.acl_req.headers.content-type", "application/json",
                "auth.http.acl_req.headers.accept", "*/*", "auth.http.acl_req.headers.x-api-key", "k-123");
        Mqtt5BlockingClient c = client("json-1", "jo");

        assertThat(publish(c, "home/temp")).isZero();
        AuthServer.Request json = server.last("/mqtt/acl");
        assertThat(json.header("content-type")).isEqualTo("application/json");
        assertThat(json.body()).isEqualTo(
                "{\"clientid\":\"json-1\",\"username\":\"jo\",\"topic\":\"home/temp\",\"access\":\"2\"}");
        assertThat(json.header("accept")).isEqualTo("*/*");
        assertThat(json.header("x-api-key")).isEqualTo("k-123");

        update(broker, "auth.http.acl_req.method", "get");
        assertThat(publish(c, "home/temp")).isZero();
        AuthServer.Request get = server.last("/mqtt/acl");
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.rawQuery()).isEqualTo("clientid=json-1&username=jo&topic=home%2Ftemp&access=2");
        assertThat(get.body()).isEmpty();
        assertThat(get.header("x-api-key")).isEqualTo("k-123");
        assertThat(new ObjectMapper().readTree(json.body()).get("topic").asText()).isEqualTo("home/temp");
        c.disconnect();
    }
}
