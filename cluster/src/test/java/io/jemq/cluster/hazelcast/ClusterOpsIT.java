package io.jemq.cluster.hazelcast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster as an operator sees it, two nodes on loopback (one JVM each, manual discovery): A's REST API lists both
 * nodes with their figures and says on which node a client is connected; {@code cluster join} is remembered across a
 * restart and {@code cluster leave} forgets it; a node killed shows as stopped until {@code force-leave}; no node
 * logs Hazelcast's warning about missing JVM options.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOpsIT {
    private static final String A = "a@127.0.0.1";
    private static final String B = "b@127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static ClusterNode a;
    static ClusterNode b;
    static int httpA;
    static int httpB;
    static final List<ClusterNode> STARTED = new ArrayList<>();

    @BeforeAll
    static void startTwoNodesAlone() throws Exception {
        int[] ports = ClusterNode.freePorts(4);
        httpA = ports[0];
        httpB = ports[1];
        a = ClusterNode.launch(A, dir.resolve("a"), ports[2], "listener.api.mgmt=127.0.0.1:" + httpA,
                "cluster.failure_timeout=4s");
        STARTED.add(a);
        b = startB(ports[3]);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ClusterNode n : STARTED) {
            n.kill();
        }
    }

    @Test
    @Order(1)
    void aNodesApiListsEveryMemberWithItsFiguresAndWhereAClientIs() throws Exception {
        assertThat(names(get(httpA, "management/nodes"))).containsExactly(A);
        // manual discovery: the first node starts its member alone by joining its own address, the second joins it
        assertThat(a.ctl("cluster", "join", "127.0.0.1:" + a.clusterPort)).contains("joined: " + A);
        assertThat(b.ctl("cluster", "join", "127.0.0.1:" + a.clusterPort)).contains("joined: ");

        try (Inbox onB = new Inbox(b, "sensor-on-b", true)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode nodes = get(httpA, "management/nodes");
                assertThat(names(nodes)).containsExactly(A, B);
                assertThat(nodes.get(1).get("node_status").asText()).isEqualTo("Running");
                assertThat(nodes.get(1).get("version").asText()).isNotEmpty();
                assertThat(nodes.get(1).get("uptime").asText()).endsWith("seconds");
                JsonNode monitoring = get(httpA, "monitoring/nodes/" + B);
                assertThat(monitoring.get("clients").asInt()).as("B's connections, seen from A").isEqualTo(1);
                assertThat(monitoring.get("memory_used").asLong()).isPositive();
            });
            JsonNode metrics = get(httpA, "monitoring/metrics");
            assertThat(metrics).hasSize(2);
            assertThat(metrics.get(1).get(B).has("packets/connect")).isTrue();
            assertThat(get(httpA, "monitoring/stats/" + B).get("clients/count").asInt()).isEqualTo(1);
            // the client is on B: A's lookups name the node
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(httpA, "clients/sensor-on-b").get("objects").get(0).get("node").asText())
                            .isEqualTo(B));
            assertThat(get(httpA, "nodes/" + B + "/clients/sensor-on-b").get("objects").get(0).get("node").asText())
                    .isEqualTo(B);
            assertThat(get(httpA, "nodes/" + A + "/clients/sensor-on-b").get("objects")).isEmpty();
            assertThat(get(httpB, "clients/sensor-on-b").get("objects").get(0).get("node").asText()).isEqualTo(B);
            assertThat(status(httpA, "nodes/" + B + "/clients")).as("another node's list is its own API's")
                    .isEqualTo(404);
            assertThat(status(httpA, "management/nodes/nobody@127.0.0.1")).isEqualTo(404);
        }
    }

    @Test
    @Order(2)
    void aJoinedNodeJoinsAgainAfterARestart() throws Exception {
        assertThat(b.ctl("cluster", "status")).contains("joins at start: 127.0.0.1:" + a.clusterPort);
        b.kill();
        b = startB(b.clusterPort);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(b.ctl("cluster", "status")).contains("running_nodes: " + A + ", " + B);
            assertThat(names(get(httpA, "monitoring/nodes"))).containsExactly(A, B);
        });
    }

    @Test
    @Order(3)
    void leavingForgetsTheClusterAndTheOthersDoNotListTheNode() throws Exception {
        assertThat(b.ctl("cluster", "leave")).contains("left the cluster");
        assertThat(b.home.resolve("data/cluster/seeds")).doesNotExist();
        assertThat(b.ctl("cluster", "status")).doesNotContain("joins at start");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(names(get(httpA, "management/nodes"))).containsExactly(A));
    }

    @Test
    @Order(4)
    void aKilledNodeShowsAsStoppedUntilForceLeave() throws Exception {
        assertThat(b.ctl("cluster", "join", "127.0.0.1:" + a.clusterPort)).contains("joined: ");
        await().atMost(Duration.ofSeconds(20)).until(() -> names(get(httpA, "management/nodes")).size() == 2);
        b.kill();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode nodes = get(httpA, "monitoring/nodes");
            assertThat(names(nodes)).containsExactly(A, B);
            assertThat(nodes.get(1).get("node_status").asText()).isEqualTo("Stopped");
        });
        assertThat(get(httpA, "management/nodes/" + B).get("node_status").asText()).isEqualTo("Stopped");
        assertThat(get(httpA, "monitoring/metrics")).as("a stopped node has no metrics").hasSize(1);
        assertThat(a.ctl("cluster", "force-leave", B)).contains("dropped");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(names(get(httpA, "management/nodes"))).containsExactly(A));
    }

    @Test
    @Order(5)
    void noNodeLogsHazelcastsWarningAboutJavaModuleAccess() {
        for (ClusterNode n : STARTED) {
            assertThat(n.output).as(n.name + "'s log").isNotEmpty()
                    .noneMatch(l -> l.contains("without proper access to required Java packages"))
                    .noneMatch(l -> l.contains("illegal reflective access") || l.contains("--add-opens"));
        }
    }

    private static ClusterNode startB(int clusterPort) throws Exception {
        ClusterNode n = ClusterNode.launch(B, dir.resolve("b"), clusterPort, "listener.api.mgmt=127.0.0.1:" + httpB,
                "cluster.failure_timeout=4s");
        STARTED.add(n);
        return n;
    }

    /** GET /api/v2/{path} as the shipped admin; its {@code result}. */
    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(request(port, path), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("result");
    }

    private static int status(int port, String path) throws Exception {
        return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:public"
                        .getBytes(StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build();
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.get("name").asText()));
        return out;
    }
}
