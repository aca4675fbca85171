package io.jemq.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.http.HttpFixture.publish;
import static io.jemq.auth.http.HttpFixture.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every placeholder filled from a real client (its TLS certificate's common name and subject included), sent to an
 * https auth server that requires the broker's own client certificate; and hostile usernames, each of which reaches
 * the server as exactly that one value in that one field, in a form and in JSON.
 */
class HttpPlaceholdersIT {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPki.Issued brokerCert;
    private static AuthServer server;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir, "http");
        brokerCert = pki.client("broker", "O=jemq,CN=jemq-broker");
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(pki.keys(pki.server).getKeyManagers(), pki.trust().getTrustManagers(), null);
        server = AuthServer.https(serverTls, true);
        broker = EmbeddedBroker.builder()
                .set("mqtt.acl_cache.enable", "off", "mqtt.max_packet_size", "1MB")
                .set("listener.ssl.test", "127.0.0.1:0",
                        "listener.ssl.test.keyfile", pki.server.keyFile().toString(),
                        "listener.ssl.test.certfile", pki.server.certFile().toString(),
                        "listener.ssl.test.cacertfile", pki.ca.certFile().toString(),
                        "listener.ssl.test.verify", "verify_peer",
                        "listener.ssl.test.mountpoint", "dev/%c/")
                .pluginConf(HttpFixture.PLUGIN, """
                        auth.http.auth_req.url = %1$s/mqtt/auth
                        auth.http.auth_req.params = c=%%c,u=%%u,P=%%P,a=%%a,m=%%m,C=%%C,d=%%d
                        auth.http.acl_req.url = %1$s/mqtt/acl
                        auth.http.acl_req.params = c=%%c,u=%%u,a=%%a,t=%%t,A=%%A,m=%%m,C=%%C,d=%%d
                        auth.http.ssl.cacertfile = %2$s
                        auth.http.ssl.certfile = %3$s
                        auth.http.ssl.keyfile = %4$s
                        """.formatted(server.url(""), pki.ca.certFile(), brokerCert.certFile(),
                        brokerCert.keyFile()))
                .loaded(HttpFixture.PLUGIN).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Clients.connack3(broker.port(), "warm", "w", "w") == 0);
    }

    @AfterAll
    static void stop() {
        broker.close();
        server.close();
    }

    @Test
    void everyPlaceholderIncludingTheClientCertificatesNames() {
        TestPki.Issued device = pki.client("device", "O=Acme,CN=device-7");
        Mqtt5BlockingClient c = MqttClient.builder().identifier("dev-1").serverHost("127.0.0.1")
                .serverPort(broker.port("ssl.test")).sslConfig().trustManagerFactory(pki.trust())
                .keyManagerFactory(pki.keys(device)).applySslConfig().useMqttVersion5()
                .simpleAuth().username("dev-user").password("pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildBlocking();
        c.connect();

        assertThat(server.last("/mqtt/auth").params()).containsExactlyEntriesOf(ordered(
                "c", "dev-1", "u", "dev-user", "P", "pw", "a", "127.0.0.1", "m", "dev/dev-1/",
                "C", "device-7", "d", "CN=device-7,O=Acme"));
        assertThat(publish(c, "sensors/t")).isZero();
        assertThat(server.last("/mqtt/acl").params()).containsExactlyEntriesOf(ordered(
                "c", "dev-1", "u", "dev-user", "a", "127.0.0.1", "t", "sensors/t", "A", "2", "m", "dev/dev-1/",
                "C", "device-7", "d", "CN=device-7,O=Acme"));
        // the broker presented its own certificate (auth.http.ssl.certfile) to the https auth server
        assertThat(server.last("/mqtt/acl").clientSubject()).isEqualTo("CN=jemq-broker,O=jemq");
        c.disconnect();

        Map<String, String> noCert = new HashMap<>();
        noCert.put("auth.http.ssl.certfile", null);
        noCert.put("auth.http.ssl.keyfile", null);
        HttpFixture.live(broker).update(noCert);
        try {
            assertThat(Clients.connack3(broker.port(), "no-cert", "u", "p")).isEqualTo(3);   // handshake refused
        } finally {
            update(broker, "auth.http.ssl.certfile", brokerCert.certFile().toString(),
                    "auth.http.ssl.keyfile", brokerCert.keyFile().toString());
        }
    }

    @Test
    void hostileUsernamesArriveAsExactlyThatValueInThatField() throws Exception {
        StringBuilder big = new StringBuilder();
        while (big.length() < 65_535) {
            big.append("&=%\"\\x ");
        }
        List<String> names = List.of("a&b=c", "100%25%", "say \"hi\"", "two\nlines\r\n", "x&password=stolen",
                big.substring(0, 65_535));
        for (String encoding : List.of("application/x-www-form-urlencoded", "application/json")) {
            update(broker, "auth.http.auth_req.headers.content-type", encoding);
            for (String name : names) {
                server.clear();
                assertThat(Clients.connack3(broker.port(), "inj", name, "pw")).isZero();

                AuthServer.Request r = server.last("/mqtt/auth");
                Map<String, String> fields = encoding.endsWith("json") ? json(r.body()) : r.params();
                assertThat(fields.keySet()).containsExactly("c", "u", "P", "a", "m", "C", "d");
                assertThat(fields.get("u")).isEqualTo(name);
                assertThat(fields.get("P")).isEqualTo("pw");
            }
        }
    }

    private static Map<String, String> json(String body) throws Exception {
        JsonNode root = new ObjectMapper().readTree(body);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        root.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

}
