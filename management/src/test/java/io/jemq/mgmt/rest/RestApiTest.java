package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.mgmt.http.Api;
import io.jemq.sys.Counter;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The REST API of REFERENCE 2.12 with a real HTTP client against a broker with real MQTT clients: shapes, paging,
 * the envelope and EMQ's codes, credentials, unknown paths and bad bodies.
 */
class RestApiTest {
    private static final String NODE = "jemq@127.0.0.1";
    private static EmbeddedBroker broker;
    private static Api api;
    private static final List<Mqtt3BlockingClient> CLIENTS = new ArrayList<>();

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().set("listener.api.mgmt", "127.0.0.1:0")
                .acl("{allow, all, publish, [\"acl/#\"]}.\n{allow, all}.\n")
                .pluginConf("emq_auth_username", "auth.user.1.username = alice\nauth.user.1.password = pw\n")
                .start();
        api = Api.of(broker);
        for (int i = 1; i <= 3; i++) {
            Mqtt3BlockingClient c = Clients.connect3(broker.port(), "c" + i, null, null);
            c.subscribeWith().topicFilter("t/" + i).qos(MqttQos.AT_LEAST_ONCE).send();
            CLIENTS.add(c);
        }
    }

    @AfterAll
    static void stop() {
        CLIENTS.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        broker.close();
    }

    @Test
    void everyApiPathWantsAnAdmin() {
        Api.Answer a = api.anonymous().get("/api/v2/management/nodes");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.headers().firstValue("WWW-Authenticate")).hasValue("Basic Realm=\"emqx control center\"");
        assertThat(a.json().get("code").asInt()).isEqualTo(104);
        Api.Answer wrong = api.as("admin", "nope").get("/api/v2/nodes/" + NODE + "/clients");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asInt()).isEqualTo(103);
        assertThat(api.as("nobody", "public").get("/api/v2/routes").status()).isEqualTo(401);
    }

    @Test
    void unknownPathsAre404TextAndTheIndexListsThePaths() throws Exception {
        Api.Answer a = api.get("/api/v2/no/such/thing");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(api.send("PATCH", "/api/v2/routes", null, null).status()).isEqualTo(404);
        assertThat(rawRequest("GET /api/v2/routes/%zz HTTP/1.1")).startsWith("HTTP/1.1 400 Bad Request");
        assertThat(api.get("/api/v2/").result().get("paths").toString())
                .contains("GET /api/v2/nodes/{node}/clients", "DELETE /api/v2/clients/{id}");
    }

    @Test
    void nodes() {
        JsonNode nodes = api.get("/api/v2/management/nodes").result();
        assertThat(nodes).hasSize(1);
        JsonNode n = nodes.get(0);
        assertThat(n.get("name").asText()).isEqualTo(NODE);
        assertThat(n.get("node_status").asText()).isEqualTo("Running");
        assertThat(n.get("uptime").asText()).matches("(\\d+ hours, )?(\\d+ minutes, )?\\d+ seconds");
        assertThat(n.get("datetime").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(fields(n)).containsExactly("name", "version", "sysdescr", "uptime", "datetime", "otp_release",
                "node_status");
        assertThat(api.get("/api/v2/management/nodes/" + NODE).result().get("name").asText()).isEqualTo(NODE);
        Api.Answer other = api.get("/api/v2/management/nodes/emq@10.0.0.1");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("code").asInt()).isEqualTo(101);

        JsonNode m = api.get("/api/v2/monitoring/nodes/" + NODE).result();
        assertThat(fields(m)).containsExactly("name", "otp_release", "memory_total", "memory_used",
                "process_available", "process_used", "max_fds", "clients", "node_status", "load1", "load5", "load15");
        assertThat(m.get("clients").asInt()).isEqualTo(3);
        assertThat(api.get("/api/v2/monitoring/nodes").result().get(0).get("name").asText()).isEqualTo(NODE);
    }

    @Test
    void listenersMetricsAndStats() {
        JsonNode listeners = api.get("/api/v2/monitoring/listeners").result().get(0).get(NODE);
        JsonNode tcp = listeners.get(0);
        assertThat(tcp.get("protocol").asText()).isEqualTo("mqtt:tcp");
        assertThat(tcp.get("listen").asText()).isEqualTo("127.0.0.1:" + broker.port());
        assertThat(tcp.get("current_clients").asInt()).isEqualTo(3);
        assertThat(fields(tcp)).containsExactly("protocol", "listen", "acceptors", "max_clients", "current_clients",
                "shutdown_count");
        assertThat(api.get("/api/v2/monitoring/listeners/" + NODE).result().get(0).get("protocol").asText())
                .isEqualTo("mqtt:tcp");

        JsonNode metrics = api.get("/api/v2/monitoring/metrics/" + NODE).result();
        assertThat(metrics.get("packets/subscribe").asLong())
                .isEqualTo(broker.broker().counters().get(Counter.PACKETS_SUBSCRIBE));
        assertThat(metrics.has("messages/qos2/dropped")).isTrue();
        assertThat(api.get("/api/v2/monitoring/metrics").result().get(0).get(NODE).has("bytes/received")).isTrue();
        JsonNode stats = api.get("/api/v2/monitoring/stats").result().get(0).get(NODE);
        assertThat(stats.get("clients/count").asInt()).isEqualTo(3);
        assertThat(stats.get("clients/max").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(api.get("/api/v2/monitoring/stats/" + NODE).result().has("subscriptions/count")).isTrue();
    }

    @Test
    void clientsWithPaging() {
        JsonNode page = api.get("/api/v2/nodes/" + NODE + "/clients?curr_page=1&page_size=2").result();
        assertThat(page.get("current_page").asInt()).isEqualTo(1);
        assertThat(page.get("page_size").asInt()).isEqualTo(2);
        assertThat(page.get("total_num").asInt()).isEqualTo(3);
        assertThat(page.get("total_page").asInt()).isEqualTo(2);
        assertThat(page.get("objects")).hasSize(2);
        JsonNode c1 = page.get("objects").get(0);
        assertThat(c1.get("client_id").asText()).isEqualTo("c1");
        assertThat(c1.get("ipaddress").asText()).isEqualTo("127.0.0.1");
        assertThat(c1.get("proto_ver").asInt()).isEqualTo(4);
        assertThat(c1.get("clean_sess").asBoolean()).isTrue();
        assertThat(c1.get("connected_at").asText()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(fields(c1)).startsWith("client_id", "username", "ipaddress", "port", "clean_sess", "proto_ver",
                "keepalive", "connected_at");

        Api.Answer second = api.get("/api/v2/nodes/" + NODE + "/clients?_page=2&_limit=2");
        assertThat(second.result().get("objects")).hasSize(1);
        assertThat(second.result().get("objects").get(0).get("client_id").asText()).isEqualTo("c3");
        assertThat(second.json().get("meta").toString()).isEqualTo("{\"page\":2,\"limit\":2,\"count\":3}");
        Api.Answer bad = api.get("/api/v2/nodes/" + NODE + "/clients?_limit=lots");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("code").asInt()).isEqualTo(108);

        assertThat(api.get("/api/v2/clients/c2").result().get("objects").get(0).get("client_id").asText())
                .isEqualTo("c2");
        assertThat(api.get("/api/v2/nodes/" + NODE + "/clients/nobody").result().get("objects")).isEmpty();
    }

    @Test
    void sessionsSubscriptionsAndRoutes() {
        JsonNode sessions = api.get("/api/v2/nodes/" + NODE + "/sessions").result();
        assertThat(sessions.get("total_num").asInt()).isGreaterThanOrEqualTo(3);
        JsonNode s = api.get("/api/v2/sessions/c1").result().get("objects").get(0);
        assertThat(fields(s)).startsWith("client_id", "clean_sess", "subscriptions", "max_inflight", "inflight_len",
                "mqueue_len", "mqueue_dropped", "awaiting_rel_len", "deliver_msg", "enqueue_msg", "created_at");
        assertThat(s.get("subscriptions").asInt()).isEqualTo(1);

        JsonNode subs = api.get("/api/v2/subscriptions/c2").result().get("objects");
        assertThat(subs.toString()).isEqualTo("[{\"client_id\":\"c2\",\"topic\":\"t/2\",\"qos\":1}]");
        JsonNode all = api.get("/api/v2/nodes/" + NODE + "/subscriptions?page_size=100").result();
        assertThat(all.get("objects").toString()).contains("\"topic\":\"t/1\"", "\"topic\":\"t/3\"");

        JsonNode routes = api.get("/api/v2/routes").result().get("objects");
        assertThat(routes.toString()).contains("{\"topic\":\"t/1\",\"node\":\"" + NODE + "\"}");
        assertThat(api.get("/api/v2/routes/t%2F2").result().get("objects").toString())
                .isEqualTo("[{\"topic\":\"t/2\",\"node\":\"" + NODE + "\"}]");
        assertThat(api.get("/api/v2/routes/none").result().get("total_num").asInt()).isZero();
    }

    @Test
    void publishSubscribeAndUnsubscribeOverJson() throws Exception {
        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "js", null, null);
        try (var publishes = c.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(api.post("/api/v2/mqtt/subscribe", "{\"client_id\":\"js\",\"topic\":\"j/+\",\"qos\":1}")
                    .json().toString()).isEqualTo("{\"code\":0}");
            assertThat(api.post("/api/v2/mqtt/publish", "{\"topic\":\"j/1\",\"payload\":\"hi\",\"qos\":1}")
                    .json().get("code").asInt()).isZero();
            var m = Clients.next(publishes);
            assertThat(m.getTopic().toString()).isEqualTo("j/1");
            assertThat(Clients.text(m)).isEqualTo("hi");
            assertThat(api.post("/api/v2/mqtt/unsubscribe", "{\"client_id\":\"js\",\"topic\":\"j/+\"}")
                    .result()).isNull();
            api.post("/api/v2/mqtt/publish", "{\"topic\":\"j/2\",\"payload\":\"gone\"}");
            assertThat(Clients.quiet(publishes)).isEmpty();
        } finally {
            c.disconnect();
        }
        Api.Answer offline = api.post("/api/v2/mqtt/subscribe", "{\"client_id\":\"ghost\",\"topic\":\"x\"}");
        assertThat(offline.status()).isEqualTo(404);
        assertThat(offline.json().get("code").asInt()).isEqualTo(112);
    }

    @Test
    void badBodiesGetTheirCodes() {
        Api.Answer notJson = api.post("/api/v2/mqtt/publish", "topic=x&payload=y");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("code").asInt()).isEqualTo(109);
        assertThat(notJson.body()).doesNotContain("Exception", "at io.");
        Api.Answer missing = api.post("/api/v2/mqtt/publish", "{\"payload\":\"y\"}");
        assertThat(missing.json().toString()).isEqualTo("{\"code\":107,\"message\":\"missing parameter: topic\"}");
        Api.Answer type = api.post("/api/v2/mqtt/publish", "{\"topic\":\"a\",\"payload\":\"y\",\"qos\":\"two\"}");
        assertThat(type.json().get("code").asInt()).isEqualTo(108);
        Api.Answer wildcard = api.post("/api/v2/mqtt/publish", "{\"topic\":\"a/#\",\"payload\":\"y\"}");
        assertThat(wildcard.json().get("code").asInt()).isEqualTo(108);
        assertThat(api.post("/api/v2/users", "[1,2]").json().get("code").asInt()).isEqualTo(109);
    }

    @Test
    void kickDisconnectsTheRealClient() {
        Mqtt3BlockingClient victim = Clients.connect3(broker.port(), "victim", null, null);
        assertThat(api.delete("/api/v2/clients/victim").json().toString()).isEqualTo("{\"code\":0}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.getState().isConnected());
        Api.Answer again = api.delete("/api/v2/clients/victim");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("code").asInt()).isEqualTo(112);
    }

    @Test
    void cleaningTheAclCacheMakesTheNextCheckReachTheSources() {
        Mqtt3BlockingClient p = Clients.connect3(broker.port(), "acl-pub", null, null);
        try {
            p.publishWith().topic("acl/1").qos(MqttQos.AT_LEAST_ONCE).send();
            long misses = broker.broker().counters().get(Counter.ACL_CACHE_MISS);
            long hits = broker.broker().counters().get(Counter.ACL_CACHE_HIT);
            p.publishWith().topic("acl/1").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(broker.broker().counters().get(Counter.ACL_CACHE_HIT)).isEqualTo(hits + 1);
            assertThat(broker.broker().counters().get(Counter.ACL_CACHE_MISS)).isEqualTo(misses);

            assertThat(api.put("/api/v2/clients/acl-pub/clean_acl_cache", "{\"topic\":\"acl/1\"}").json()
                    .get("code").asInt()).isZero();
            p.publishWith().topic("acl/1").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(broker.broker().counters().get(Counter.ACL_CACHE_MISS)).isEqualTo(misses + 1);
        } finally {
            p.disconnect();
        }
        assertThat(api.put("/api/v2/clients/nobody/clean_acl_cache", "{}").json().get("code").asInt())
                .isEqualTo(112);
    }

    @Test
    void pluginsLoadAndUnload() {
        String base = "/api/v2/nodes/" + NODE + "/plugins";
        JsonNode list = api.get(base).result();
        assertThat(list.toString()).contains("\"name\":\"emq_auth_username\"");
        assertThat(fields(list.get(0))).containsExactly("name", "version", "description", "active");
        assertThat(Clients.connack3(broker.port(), "u", "alice", "bad")).isZero();     // nobody knows alice yet

        assertThat(api.put(base + "/emq_auth_username", "{\"active\":true}").json().get("code").asInt()).isZero();
        assertThat(Clients.connack3(broker.port(), "u", "alice", "bad")).isEqualTo(4);
        Api.Answer twice = api.put(base + "/emq_auth_username", "{\"active\":true}");
        assertThat(twice.json().get("code").asInt()).isEqualTo(110);

        assertThat(api.put(base + "/emq_auth_username", "{\"active\":false}").json().get("code").asInt()).isZero();
        assertThat(api.put(base + "/emq_auth_username", "{\"active\":false}").json().get("code").asInt())
                .isEqualTo(111);
        assertThat(api.put(base + "/no_such_plugin", "{\"active\":true}").status()).isEqualTo(404);
        assertThat(api.put(base + "/emq_auth_username", "{}").json().get("code").asInt()).isEqualTo(107);
    }

    @Test
    void configsAndPluginConfigs() throws Exception {
        JsonNode configs = api.get("/api/v2/configs").result();
        assertThat(configs.toString()).contains("{\"key\":\"listener.api.mgmt\",\"value\":\"127.0.0.1:0\","
                + "\"datatpye\":\"string\",\"app\":\"emqttd\"}");
        Api.Answer change = api.put("/api/v2/configs/emqttd", "{\"key\":\"mqtt.max_packet_size\",\"value\":\"1MB\"}");
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.json().get("message").asText()).contains("edit the file");

        String path = "/api/v2/nodes/" + NODE + "/plugin_configs/emq_auth_username";
        JsonNode conf = api.get(path).result();
        assertThat(conf.toString()).contains("{\"key\":\"auth.user.1.username\",\"value\":\"alice\",\"desc\":\"\","
                + "\"required\":true}", "{\"key\":\"auth.user.1.password\",\"value\":\"******\"");
        assertThat(api.put(path, "{\"auth.user.1.username\":\"bob\",\"auth.user.2.username\":\"carol\","
                + "\"auth.user.2.password\":\"pw2\"}").json().get("code").asInt()).isZero();
        assertThat(api.get(path).result().toString()).contains("\"value\":\"bob\"", "\"value\":\"carol\"");
        assertThat(api.get("/api/v2/nodes/" + NODE + "/plugin_configs/nothing").status()).isEqualTo(404);
        assertThat(api.put(path, "{\"auth.user.1.username\":\"x\\ny\"}").json().get("code").asInt()).isEqualTo(108);
        api.put(path, "{\"auth.user.1.username\":\"alice\"}");

        Files.writeString(broker.home().resolve("etc/plugins/broken.conf"), "a.b = 1\nthis is no setting\n");
        Api.Answer broken = api.get("/api/v2/nodes/" + NODE + "/plugin_configs/broken");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().get("message").asText()).contains("broken.conf:2");
    }

    @Test
    void alarms() {
        broker.broker().alarms().raise("test_alarm", "raised by the test");
        try {
            JsonNode alarms = api.get("/api/v2/nodes/" + NODE + "/alarms").result();
            JsonNode a = alarms.get(0);
            assertThat(a.get("id").asText()).isEqualTo("test_alarm");
            assertThat(a.get("summary").asText()).isEqualTo("raised by the test");
            assertThat(fields(a)).containsExactly("id", "severity", "title", "summary", "occurred_at");
        } finally {
            broker.broker().alarms().clear("test_alarm");
        }
        assertThat(api.get("/api/v2/alarms").result()).isEmpty();
    }

    @Test
    void storeFiguresAsCtlStoreShowsThem() {
        JsonNode figures = api.get("/api/v2/store").result();
        assertThat(figures.get("type").asText()).isEqualTo("memory");             // the kit's brokers: memory
        assertThat(figures.get("retained").asInt()).isEqualTo(broker.broker().retainer().size());
        assertThat(api.get("/api/v2/nodes/" + broker.broker().settings().nodeName() + "/store").result())
                .isEqualTo(figures);
    }

    @Test
    void retainedMessagesListedAndDeleted() {
        Mqtt3BlockingClient p = Clients.connect3(broker.port(), "retainer", null, null);
        try {
            p.publishWith().topic("r/a").payload("kept".getBytes()).retain(true).qos(MqttQos.AT_LEAST_ONCE).send();
            p.publishWith().topic("r/b").payload(new byte[] {(byte) 0xff, 0}).retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).send();
        } finally {
            p.disconnect();
        }
        // the $SYS module keeps its own retained topics (version, sysdescr, brokers) beside the test's two
        int sys = broker.broker().retainer().size() - 2;
        JsonNode page = api.get("/api/v2/retained").result();
        assertThat(page.get("total_num").asInt()).isEqualTo(2 + sys);
        List<JsonNode> ours = new ArrayList<>();
        page.get("objects").forEach(o -> {
            if (o.get("topic").asText().startsWith("r/")) {
                ours.add(o);
            }
        });
        assertThat(ours).hasSize(2);
        JsonNode a = ours.get(0);
        assertThat(a.get("topic").asText()).isEqualTo("r/a");
        assertThat(a.get("payload").asText()).isEqualTo("kept");
        assertThat(a.get("from").asText()).isEqualTo("retainer");
        assertThat(ours.get(1).get("payload_encoding").asText()).isEqualTo("base64");
        assertThat(ours.get(1).get("payload").asText()).isEqualTo("/wA=");

        assertThat(api.delete("/api/v2/retained/r%2Fa").json().get("code").asInt()).isZero();
        assertThat(broker.broker().retainer().get("r/a")).isNull();
        assertThat(api.delete("/api/v2/retained/r%2Fa").status()).isEqualTo(404);
        api.delete("/api/v2/retained/r%2Fb");
        assertThat(broker.broker().retainer().size()).isEqualTo(sys);
    }

    /** Sends one request line by hand (java.net.http refuses to send a malformed URI) and reads the answer. */
    private static String rawRequest(String requestLine) throws Exception {
        try (Socket s = new Socket("127.0.0.1", Api.port(broker))) {
            s.setSoTimeout(5000);
            s.getOutputStream().write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
