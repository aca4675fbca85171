package io.jemq.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.mgmt.http.Json;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's doors, with a plain HTTP client: nothing but the login page and its files without a session; a
 * session cookie that scripts cannot read and other sites cannot send; calls that change something need the CSRF
 * header; logout ends the session; HTTP Basic still opens the REST API on this port.
 */
class DashboardAccessTest {
    private static EmbeddedBroker broker;
    private static Web web;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().set("dashboard.listener", "127.0.0.1:0").start();
        web = new Web(broker);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void withoutASessionOnlyTheLoginPageAndItsFilesAreServed() {
        assertThat(web.get("/login.html", Map.of()).statusCode()).isEqualTo(200);
        assertThat(web.get("/login.js", Map.of()).statusCode()).isEqualTo(200);
        assertThat(web.get("/style.css", Map.of()).statusCode()).isEqualTo(200);
        HttpResponse<String> root = web.get("/", Map.of());
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/login.html");
        assertThat(web.get("/index.html", Map.of()).statusCode()).isEqualTo(302);
        for (String file : new String[]{"/app.js", "/api.js", "/extended.js",
                "/webjars/uplot/1.6.30/dist/uPlot.esm.js"}) {
            HttpResponse<String> r = web.get(file, Map.of());
            assertThat(r.statusCode()).as(file).isEqualTo(401);
            assertThat(r.body()).doesNotContain("import");
        }
        assertThat(web.get("/api/v2/management/nodes", Map.of()).statusCode()).isEqualTo(401);
        assertThat(web.send("POST", "/api/v2/acl/reload", "", Map.of()).statusCode()).isEqualTo(401);
        assertThat(web.get("/api/v2/dashboard/session", Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongPasswordIsRefusedAndOpensNoSession() {
        HttpResponse<String> r = login("admin", "wrong");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(json(r).get("message").asText()).contains("bad username or password");
    }

    @Test
    void aSessionCookieOpensTheAppAndTheApiAndChangesNeedTheCsrfHeader() {
        HttpResponse<String> r = login("admin", "public");
        assertThat(r.statusCode()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("jemq_session=").contains("HttpOnly", "SameSite=Strict", "Path=/",
                "Max-Age=");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = json(r).get("result").get("csrf").asText();
        assertThat(csrf).hasSizeGreaterThan(30);

        Map<String, String> withCookie = Map.of("Cookie", cookie);
        assertThat(web.get("/", withCookie).statusCode()).isEqualTo(200);
        assertThat(web.get("/app.js", withCookie).headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/javascript"));
        assertThat(web.get("/webjars/uplot/1.6.30/dist/uPlot.esm.js", withCookie).statusCode()).isEqualTo(200);
        assertThat(json(web.get("/api/v2/management/nodes", withCookie)).get("code").asInt()).isZero();
        assertThat(json(web.get("/api/v2/dashboard/session", withCookie)).get("result").get("csrf").asText())
                .isEqualTo(csrf);

        HttpResponse<String> forged = web.send("POST", "/api/v2/acl/reload", "", withCookie);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json(forged).get("message").asText()).contains("X-Jemq-Csrf");
        assertThat(web.send("POST", "/api/v2/acl/reload", "", Map.of("Cookie", cookie, "X-Jemq-Csrf", "guess"))
                .statusCode()).isEqualTo(403);
        assertThat(web.send("POST", "/api/v2/acl/reload", "", Map.of("Cookie", cookie, "X-Jemq-Csrf", csrf))
                .statusCode()).isEqualTo(200);

        HttpResponse<String> out = web.send("POST", "/api/v2/dashboard/logout", "",
                Map.of("Cookie", cookie, "X-Jemq-Csrf", csrf));
        assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0"));
        assertThat(web.get("/api/v2/management/nodes", withCookie).statusCode()).isEqualTo(401);
        assertThat(web.get("/", withCookie).statusCode()).isEqualTo(302);
    }

    @Test
    void aSessionEndsWhenItsAdminGetsAnotherPassword() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:public".getBytes(StandardCharsets.UTF_8));
        assertThat(web.send("POST", "/api/v2/users", "{\"username\":\"ops\",\"password\":\"pw-1\"}",
                Map.of("Authorization", basic)).statusCode()).isEqualTo(200);
        Map<String, String> ops = Map.of("Cookie", cookieOf(login("ops", "pw-1")));
        assertThat(web.get("/api/v2/management/nodes", ops).statusCode()).isEqualTo(200);
        assertThat(web.send("PUT", "/api/v2/change_pwd/ops", "{\"old_pwd\":\"pw-1\",\"new_pwd\":\"pw-2\"}",
                Map.of("Authorization", basic)).statusCode()).isEqualTo(200);
        assertThat(web.get("/api/v2/management/nodes", ops).statusCode()).isEqualTo(401);
    }

    @Test
    void httpBasicStillOpensTheRestApiOnTheDashboardPort() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:public".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = web.get("/api/v2/management/nodes", Map.of("Authorization", basic));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("result").get(0).get("version").asText()).isNotEmpty();
    }

    @Test
    void filesOutsideTheAppAreNotServed() {
        String cookie = cookieOf(login("admin", "public"));
        for (String path : new String[]{"/../pom.xml", "/webjars/other/x.js",
                "/io/jemq/dashboard/DashboardModule.class", "/META-INF/MANIFEST.MF", "/nothing.html"}) {
            assertThat(web.get(path, Map.of("Cookie", cookie)).statusCode()).as(path).isIn(400, 404);
        }
    }

    private static HttpResponse<String> login(String user, String password) {
        return web.send("POST", "/api/v2/dashboard/login", "{\"username\":\"" + user + "\",\"password\":\"" + password
                + "\"}", Map.of());
    }

    private static String cookieOf(HttpResponse<String> r) {
        String c = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }
}
