package io.jemq.mgmt.http;

import io.jemq.config.AccessRule;
import io.jemq.config.ConfFile;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import io.jemq.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The management listener's options: TLS with the ssl listeners' keys, max_clients, the body cap, bad values. */
class ApiListenerTest {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static EmbeddedBroker broker;
    private static HttpClient https;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir, "mgmt");
        broker = EmbeddedBroker.builder().set(
                "listener.api.mgmt", "127.0.0.1:0",
                "listener.api.mgmt.keyfile", pki.server.keyFile().toString(),
                "listener.api.mgmt.certfile", pki.server.certFile().toString(),
                "listener.api.mgmt.max_clients", "2",
                "listener.api.mgmt.max_body_size", "1KB").start();
        https = HttpClient.newBuilder().sslContext(pki.sslContext(null)).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        String basic = Base64.getEncoder().encodeToString("admin:public".getBytes(StandardCharsets.UTF_8));
        return https.send(r.header("Authorization", "Basic " + basic).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + Api.port(broker) + path);
    }

    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v2/management/nodes")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"code\":0,\"result\":[{\"name\":\"jemq@127.0.0.1\"");
        assertThat(r.sslSession()).isPresent();
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/api/v2/mqtt/publish"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"t\",\"payload\":\"" + "x".repeat(2000)
                        + "\"}")));
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void connectionsBeyondMaxClientsAreClosedAtAccept() throws Exception {
        int port = Api.port(broker);
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port)) {
            // the first two are kept open (their TLS handshakes wait for a ClientHello); a third is closed at once
            org.awaitility.Awaitility.await().untilAsserted(() -> {
                try (Socket c = new Socket("127.0.0.1", port)) {
                    c.setSoTimeout(1000);
                    OutputStream out = c.getOutputStream();
                    out.write(1);
                    InputStream in = c.getInputStream();
                    assertThat(in.read()).isEqualTo(-1);
                }
            });
        }
        // once they closed, a client is served again
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(send(HttpRequest.newBuilder(
                uri("/api/v2/routes"))).statusCode()).isEqualTo(200));
    }

    @Test
    void theShippedFileOpensPort8080WithEmqsOptionsAndNoWarning() {
        try (LogCapture log = new LogCapture(ApiListener.class.getName())) {
            ApiListener shipped = ApiListener.from(ConfFile.load(Path.of("../etc/emq.conf"))).orElseThrow();
            assertThat(shipped).isEqualTo(new ApiListener("0.0.0.0", 8080, 4, 64, 512, List.of(AccessRule.ALLOW_ALL),
                    Optional.empty(), 1024 * 1024));
            assertThat(log.messages()).isEmpty();
        }
    }

    @Test
    void anAccessRuleClosesADeniedPeerAndAnUnknownOptionIsWarnedAbout() throws Exception {
        try (LogCapture log = new LogCapture(ApiListener.class.getName());
             EmbeddedBroker b = EmbeddedBroker.builder().set("listener.api.mgmt", "127.0.0.1:0",
                     "listener.api.mgmt.access.1", "deny 127.0.0.0/8", "listener.api.mgmt.access.2", "allow all",
                     "listener.api.mgmt.acceptor", "8").start()) {
            try (Socket c = new Socket("127.0.0.1", Api.port(b))) {
                c.setSoTimeout(5000);
                c.getOutputStream().write("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(log.messages())
                    .anySatisfy(m -> assertThat(m).contains("unknown key listener.api.mgmt.acceptor"));
        }
    }

    @Test
    void aBadAddressNamesTheKeyAndNoLineMeansNoListener() {
        assertThatThrownBy(() -> EmbeddedBroker.builder().set("listener.api.mgmt", "here:there").start())
                .hasMessageContaining("listener.api.mgmt");
        try (EmbeddedBroker b = EmbeddedBroker.builder().start()) {
            assertThat(Api.port(b)).isEqualTo(-1);
        }
    }
}
