package io.jemq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.mgmt.http.Json;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v2/acl/explain} and {@code ctl acl explain}: the source that decides (an acl.conf line with its text
 * and number, acl_nomatch, a superuser, the connection's cache, a plugin) and every answer before it, asked without
 * changing any cache: the HTTP server sees each explain, and the plugin's cache only fills from real checks.
 */
class AclExplainIT {
    private static final String ACL = """
            %% rules for the explain tests
            {allow, {user, "ops"}, subscribe, ["$SYS/#"]}.
            {deny, all, publish,
                ["secret/#"]}.
            {allow, all, publish, ["open/#"]}.
            """;
    private static AuthServer http;
    private static EmbeddedBroker broker;
    private static Web web;
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:public".getBytes(
            StandardCharsets.UTF_8));

    @BeforeAll
    static void start() {
        http = new AuthServer();
        broker = EmbeddedBroker.builder().set("dashboard.listener", "127.0.0.1:0", "mqtt.acl_nomatch", "deny")
                .controlSocket().acl(ACL)
                .pluginConf("emq_auth_http", "auth.http.acl_req.url = " + http.url("/acl") + "\n"
                        + "auth.http.acl_req.method = post\n"
                        + "auth.http.acl_req.params.topic = %t\n"
                        + "auth.http.acl_cache_ttl = 1h\n")
                .start();
        web = new Web(broker);
    }

    @AfterAll
    static void stop() {
        broker.close();
        http.close();
    }

    @Test
    void anAclConfLineThatDeniesIsNamedWithItsNumberAndText() {
        JsonNode x = explain("username=u1&ipaddress=10.1.2.3&access=publish&topic=secret/x");
        assertThat(x.get("allowed").asBoolean()).isFalse();
        assertThat(x.get("decidedBy").asText()).isEqualTo("acl.conf");
        JsonNode step = x.get("steps").get(x.get("steps").size() - 1);
        assertThat(step.get("source").asText()).isEqualTo("acl.conf");
        assertThat(step.get("answer").asText()).isEqualTo("deny");
        assertThat(step.get("notes").get(0).asText()).endsWith("acl.conf:3: {deny, all, publish, [\"secret/#\"]}.");
        assertThat(x.get("reason").asText()).contains("username u1 from 10.1.2.3");
    }

    @Test
    void whenNoSourceHasARuleAclNomatchDecides() {
        JsonNode x = explain("username=u1&access=subscribe&topic=" + enc("$SYS/brokers"));
        assertThat(x.get("allowed").asBoolean()).isFalse();
        assertThat(x.get("decidedBy").asText()).isEqualTo("acl_nomatch");
        assertThat(x.get("reason").asText()).contains("mqtt.acl_nomatch = deny");
        assertThat(explain("username=ops&access=subscribe&topic=" + enc("$SYS/brokers")).get("steps").get(0)
                .get("notes").get(0).asText()).contains("acl.conf:2:");
    }

    @Test
    void aPluginIsAskedInOrderAndExplainingFillsNoCache() throws Exception {
        broker.broker().plugins().load("emq_auth_http");
        try {
            long before = http.count("cached%2Ftopic");
            JsonNode first = explain("clientid=nobody&access=publish&topic=cached/topic");
            explain("clientid=nobody&access=publish&topic=cached/topic");
            assertThat(http.count("cached%2Ftopic")).isEqualTo(before + 2);        // asked each time: nothing cached
            assertThat(first.get("decidedBy").asText()).isEqualTo("emq_auth_http");
            assertThat(first.get("steps").get(0).get("answer").asText()).isEqualTo("allow");
            assertThat(first.get("reason").asText()).contains("nobody is not connected");

            Mqtt3BlockingClient c = Clients.connect3(broker.port(), "real-1", null, null);
            c.publishWith().topic("cached/topic").qos(MqttQos.AT_LEAST_ONCE).send();   // a real check fills it
            assertThat(http.count("cached%2Ftopic")).isEqualTo(before + 3);
            JsonNode hit = explain("clientid=real-1&access=publish&topic=cached/topic");
            assertThat(http.count("cached%2Ftopic")).isEqualTo(before + 3);
            assertThat(hit.get("steps").get(0).get("notes").get(0).asText()).contains("plugin's cache");
            c.disconnect();
        } finally {
            broker.broker().plugins().unload("emq_auth_http");
        }
    }

    @Test
    void aSourceThatFailsIsNamedWithItsFailureAndPolicy() {
        broker.broker().plugins().load("emq_auth_http");
        try {
            broker.broker().plugins().liveSettings("emq_auth_http").orElseThrow()
                    .update(Map.of("auth.http.acl_req.url", "http://127.0.0.1:1/acl"));     // nothing listens
            JsonNode x = explain("username=u1&access=publish&topic=open/x");
            assertThat(x.get("allowed").asBoolean()).isFalse();
            assertThat(x.get("decidedBy").asText()).isEqualTo("emq_auth_http");
            assertThat(x.get("reason").asText()).contains("failure policy is deny");
            JsonNode step = x.get("steps").get(0);
            assertThat(step.get("answer").asText()).isEqualTo("failed");
            assertThat(step.get("notes").toString()).contains("its failure policy denies");
            assertThat(x.get("steps")).hasSize(1);                                  // acl.conf was not asked
            assertThat(broker.broker().alarms().active())                          // explaining raises no alarm
                    .noneMatch(a -> a.id().startsWith("acl_source_down"));
        } finally {
            broker.broker().plugins().liveSettings("emq_auth_http").orElseThrow()      // written to its file: undo
                    .update(Map.of("auth.http.acl_req.url", http.url("/acl")));
            broker.broker().plugins().unload("emq_auth_http");
        }
    }

    @Test
    void aConnectedClientsOwnCacheIsShownAsTheDeciderAndLeftAsItWas() {
        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "cached-1", null, null);
        c.publishWith().topic("open/a").qos(MqttQos.AT_LEAST_ONCE).send();       // allowed, now in its cache
        JsonNode x = explain("clientid=cached-1&access=publish&topic=open/a");
        assertThat(x.get("decidedBy").asText()).isEqualTo("cache");
        assertThat(x.get("allowed").asBoolean()).isTrue();
        assertThat(x.get("reason").asText()).contains("allow by acl.conf");
        c.disconnect();
    }

    @Test
    void ctlAclExplainPrintsTheSameWalk() {
        var byUser = broker.ctl("acl", "explain", "--username", "u1", "--ip", "10.0.0.1", "publish", "secret/y");
        assertThat(byUser.code()).isZero();
        assertThat(byUser.output()).contains("deny, decided by acl.conf")
                .contains("acl.conf: deny").contains(":3: {deny, all, publish, [\"secret/#\"]}.");
        var byClient = broker.ctl("acl", "explain", "someone", "publish", "open/b");
        assertThat(byClient.output()).startsWith("allow, decided by acl.conf");
        var bad = broker.ctl("acl", "explain", "someone", "fly", "open/b");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.output()).contains("access must be publish or subscribe");
    }

    @Test
    void aBadQuestionIsAClearError() throws IOException {
        HttpResponse<String> r = web.get("/api/v2/acl/explain?clientid=c&access=fly&topic=t",
                Map.of("Authorization", BASIC));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("message").asText()).contains("publish or subscribe");
        assertThat(web.get("/api/v2/acl/explain?clientid=c&access=publish", Map.of("Authorization", BASIC))
                .statusCode()).isEqualTo(400);
        assertThat(web.get("/api/v2/acl/explain?username=u&ipaddress=host.example&access=publish&topic=t",
                Map.of("Authorization", BASIC)).statusCode()).isEqualTo(400);
    }

    private static JsonNode explain(String query) {
        HttpResponse<String> r = web.get("/api/v2/acl/explain?" + query, Map.of("Authorization", BASIC));
        try {
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return body.get("result");
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
