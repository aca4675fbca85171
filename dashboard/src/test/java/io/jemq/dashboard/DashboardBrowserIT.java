package io.jemq.dashboard;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser (Debian's chromium, headless, through chromedriver) against a broker started here:
 * one browser and one broker for the class, the tests in the order a person would go. After each test the browser's
 * console holds no error. Screenshots of every page go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {
    private static final String ACL = """
            {allow, {user, "dashboard"}, subscribe, ["$SYS/#"]}.
            {deny, all, publish, ["secret/#"]}.
            {allow, all}.
            """;
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:public".getBytes(
            StandardCharsets.UTF_8));
    private static AuthServer http;
    private static EmbeddedBroker.Builder builder;
    private static EmbeddedBroker broker;
    private static Browser browser;
    private static String base;
    private static final List<Mqtt3BlockingClient> OPEN = new ArrayList<>();
    /** Console errors a test expects (the 401 of a refused login), removed before the check. */
    private static final List<String> EXPECTED_ERRORS = new ArrayList<>();

    @BeforeAll
    static void start() {
        http = new AuthServer();
        builder = EmbeddedBroker.builder().set("dashboard.listener", "127.0.0.1:0",
                        "listener.ws.external", "127.0.0.1:0")
                .acl(ACL).pluginConf("emq_auth_http", "auth.http.enable = on\n")
                .pluginConf("emq_auth_username", "").loaded("emq_auth_username");
        broker = builder.start();
        base = new Web(broker).base();
        browser = new Browser();
    }

    @AfterAll
    static void stop() {
        OPEN.forEach(c -> {
            if (c.getState().isConnected()) {
                c.disconnect();
            }
        });
        if (browser != null) {
            browser.close();
        }
        broker.close();
        http.close();
    }

    @AfterEach
    void theConsoleHoldsNoError() {
        List<String> errors = new ArrayList<>(browser.consoleErrors());
        errors.removeIf(e -> EXPECTED_ERRORS.stream().anyMatch(e::contains));
        EXPECTED_ERRORS.clear();
        assertThat(errors).as("the browser's console").isEmpty();
    }

    @Test
    @Order(10)
    void aWrongPasswordIsRefusedAndTheRightOneLogsIn() {
        browser.open(base + "/");
        browser.awaitText("h1", t -> t.equals("jemq dashboard"));        // sent to the login page
        assertThat(browser.driver.getCurrentUrl()).contains("/login.html");
        browser.screenshot("login");
        browser.type("#username", "admin");
        browser.type("#password", "wrong");
        browser.click("#login-btn");
        assertThat(browser.awaitText("#login-error", t -> !t.isEmpty())).contains("bad username or password");
        EXPECTED_ERRORS.add("/api/v2/dashboard/login - Failed to load resource");   // the 401 itself
        browser.type("#password", "public");
        browser.find("#password").sendKeys("\n");                                  // Enter submits: keyboard only
        browser.awaitText("#who", t -> t.contains("admin"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/overview");
    }

    @Test
    @Order(20)
    void theOverviewFiguresMoveWhenClientsConnectAndPublish() {
        browser.open(base + "/#/overview");
        int before = Integer.parseInt(browser.awaitText("#ov-connections", t -> t.matches("\\d+")));
        long received = Long.parseLong(browser.awaitText("#ov-received", t -> t.matches("\\d+")));
        for (int i = 0; i < 2; i++) {
            Mqtt3BlockingClient c = Clients.connect3(broker.port(), "overview-" + i, null, null);
            OPEN.add(c);
            for (int m = 0; m < 5; m++) {
                c.publishWith().topic("overview/t").payload(new byte[100]).qos(MqttQos.AT_LEAST_ONCE).send();
            }
        }
        browser.awaitText("#ov-connections", t -> t.equals(Integer.toString(before + 2)));
        browser.awaitText("#ov-received", t -> Long.parseLong(t) >= received + 10);
        browser.awaitText("#ov-node", t -> !t.equals("…"));
        assertThat(browser.all(".uplot")).hasSize(4);
        browser.screenshot("overview");
    }

    @Test
    @Order(25)
    void theNodesViewAndTheOverviewListThisNodeRunning() {
        String me = "#nodes tr[data-node='" + broker.broker().settings().nodeName() + "']";
        browser.open(base + "/#/nodes");
        browser.awaitText(me, t -> t.contains("Running") && t.contains("seconds"));
        assertThat(browser.all("#nodes tbody tr")).as("a node alone lists itself").hasSize(1);
        browser.screenshot("nodes");
        browser.open(base + "/#/overview");
        browser.awaitText(me, t -> t.contains("Running"));
    }

    @Test
    @Order(30)
    void kickingAClientClosesItsConnection() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Mqtt3BlockingClient c = Mqtt3Client.builder().identifier("kick-me").serverHost("127.0.0.1")
                .serverPort(broker.port()).addDisconnectedListener(ctx -> closed.countDown()).buildBlocking();
        c.connect();
        browser.open(base + "/#/clients");
        browser.type("#client-search", "kick-me");
        browser.waitFor().until(d -> d.findElements(By.xpath("//button[text()='overview-0']")).isEmpty());  // filtered
        browser.clickXpath("//tr[td//button[text()='kick-me']]//button[text()='Kick']");
        browser.screenshot("clients");
        browser.clickXpath("//tr[td//button[text()='kick-me']]//button[text()='Confirm: kick']");
        assertThat(closed.await(10, TimeUnit.SECONDS)).as("the MQTT connection closed").isTrue();
        browser.waitFor().until(d -> d.findElements(By.xpath("//button[text()='kick-me']")).isEmpty());
    }

    @Test
    @Order(40)
    void explainNamesTheAclConfLineThatDenies() {
        browser.open(base + "/#/explain");
        browser.type("#explain-id", "someone");
        browser.type("#explain-topic", "secret/plans");
        browser.click("#explain-go");
        assertThat(browser.awaitText("#explain-answer", t -> !t.isEmpty())).isEqualTo("Denied, decided by acl.conf");
        assertThat(browser.find("#explain-result").getText()).contains("acl.conf: deny")
                .contains("acl.conf:2: {deny, all, publish, [\"secret/#\"]}.");
        browser.screenshot("explain");
    }

    @Test
    @Order(50)
    void httpAuthorizationIsSwitchedOnFromExtendedAndItsCacheTtlIsHonoured() throws Exception {
        browser.open(base + "/#/extended");
        browser.click("#load-http-plugin");
        browser.find("#edit-acl_req");
        assertThat(browser.find("#enable-acl_req").isSelected()).isFalse();
        browser.click("#edit-acl_req");
        assertThat(new org.openqa.selenium.support.ui.Select(browser.find("#form-method")).getFirstSelectedOption()
                .getText()).isEqualTo("POST");
        browser.type("#form-url", http.url("/mqtt/acl"));
        assertThat(browser.all("#form-params .kv-key")).extracting(e -> e.getAttribute("value"))
                .containsExactly("clientid", "username", "topic", "access");
        browser.screenshot("extended-form");
        browser.click("#form-save");
        browser.waitFor().until(d -> d.findElements(By.id("http-form")).isEmpty());
        browser.waitFor().until(d -> d.findElement(By.id("enable-acl_req")).isSelected());
        browser.screenshot("extended");

        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "sensor-01", "sensor-user", null);
        OPEN.add(c);
        publish(c, "home/temp");
        AuthServer.Request asked = http.requests().get(http.requests().size() - 1);
        assertThat(asked.method()).isEqualTo("POST");
        assertThat(asked.path()).isEqualTo("/mqtt/acl");
        assertThat(asked.params()).contains("clientid=sensor-01", "username=sensor-user", "topic=home%2Ftemp",
                "access=2");
        publish(c, "home/temp");
        assertThat(http.count("home%2Ftemp")).isEqualTo(2);                         // TTL 0: asked every time

        browser.click("#http-settings");
        browser.type("#acl-cache-ttl", "forever");                               // the API says no, and why
        browser.click("#settings-save");
        assertThat(browser.awaitText("#alert", t -> t.contains("acl_cache_ttl"))).contains("expected a duration");
        EXPECTED_ERRORS.add("/api/v2/plugins/emq_auth_http/settings - Failed to load resource");   // the 400
        assertThat(browser.find("#http-settings-form").isDisplayed()).isTrue();    // nothing changed, still open
        browser.type("#acl-cache-ttl", "1h");
        browser.click("#settings-save");
        browser.waitFor().until(d -> d.findElements(By.id("http-settings-form")).isEmpty());
        publish(c, "home/humidity");
        publish(c, "home/humidity");
        assertThat(http.count("home%2Fhumidity")).isEqualTo(1);                     // the allow is reused

        String file = Files.readString(builder.etc("plugins/emq_auth_http.conf"));
        assertThat(file).contains(http.url("/mqtt/acl")).contains("acl_cache_ttl = 1h");   // persisted

        browser.click("#enable-acl_req");                                            // and off again
        browser.awaitText("#alert", t -> t.equals("HTTP disabled"));                // said once the API answered
        publish(c, "home/light");
        assertThat(http.count("home%2Flight")).isZero();
    }

    @Test
    @Order(51)
    void theHttpSuperUserRowAsksItsServerOnEachCheck() {
        browser.open(base + "/#/extended");
        browser.click("#edit-super_req");
        browser.type("#form-url", http.url("/mqtt/superuser"));
        browser.click("#form-params-add");                                    // %A makes it asked per check
        List<WebElement> keys = browser.all("#form-params .kv-key");
        List<WebElement> values = browser.all("#form-params .kv-value");
        keys.get(keys.size() - 1).sendKeys("access");
        values.get(values.size() - 1).sendKeys("%A");
        browser.click("#form-save");
        browser.waitFor().until(d -> d.findElements(By.id("http-form")).isEmpty());
        browser.waitFor().until(d -> d.findElement(By.id("enable-super_req")).isSelected());

        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "super-1", "boss", null);
        OPEN.add(c);
        publish(c, "plant/valve");
        assertThat(http.requests()).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/mqtt/superuser");
            assertThat(r.params()).contains("clientid=super-1", "username=boss", "access=2");
        });
        browser.click("#enable-super_req");
        browser.awaitText("#alert", t -> t.equals("HTTP Super User disabled"));
    }

    @Test
    @Order(52)
    void aRetainedMessageIsDeletedFromItsPage() {
        Mqtt3BlockingClient c = Clients.connect3(broker.port(), "retainer", null, null);
        OPEN.add(c);
        c.publishWith().topic("keep/me").payload("kept".getBytes(StandardCharsets.UTF_8)).retain(true)
                .qos(MqttQos.AT_LEAST_ONCE).send();
        browser.open(base + "/#/retained");
        browser.clickXpath("//tr[td[text()='keep/me']]//button[text()='Delete']");
        browser.clickXpath("//tr[td[text()='keep/me']]//button[text()='Confirm: delete']");
        browser.waitFor().until(d -> d.findElements(By.xpath("//td[text()='keep/me']")).isEmpty());
        assertThat(new Web(broker).get("/api/v2/retained", Map.of("Authorization", BASIC)).body())
                .doesNotContain("keep/me");
    }

    @Test
    @Order(60)
    void theWebSocketPageReceivesWhatMosquittoPubPublishes() throws Exception {
        String mosquittoPub = Tools.required("mosquitto-clients", "mosquitto_pub");
        browser.open(base + "/#/websocket");
        assertThat(browser.find("#ws-url").getAttribute("value"))
                .isEqualTo("ws://127.0.0.1:" + broker.port("ws.external") + "/mqtt");
        browser.type("#ws-client-id", "ws-page");
        browser.click("#ws-connect");
        browser.awaitText("#ws-state", "connected"::equals);
        browser.type("#ws-sub-topic", "outside/#");
        browser.click("#ws-subscribe");
        Web web = new Web(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> web.get("/api/v2/subscriptions/ws-page",
                Map.of("Authorization", BASIC)).body().contains("outside/#"));
        Tools.Result r = Tools.run(mosquittoPub, "-h", "127.0.0.1", "-p", Integer.toString(broker.port()),
                "-t", "outside/news", "-m", "hello from mosquitto_pub", "-q", "1");
        assertThat(r.exitCode()).as(r.output()).isZero();
        browser.awaitText("#ws-messages", t -> t.contains("hello from mosquitto_pub") && t.contains("outside/news"));
        browser.screenshot("websocket");
    }

    @Test
    @Order(70)
    void aUserAddedOnTheUsersPageCanConnectWithItsPassword() {
        browser.open(base + "/#/users");
        browser.type("#store-auth_username .store-name", "alice");
        browser.type("#store-auth_username .store-password", "pw-alice");
        browser.find("#store-auth_username .store-password").sendKeys("\n");
        browser.awaitText("#store-auth_username table", t -> t.contains("alice"));
        assertThat(browser.find("#store-auth_clientid").getText()).contains("emq_auth_clientid plugin is not loaded");
        browser.screenshot("users");
        Mqtt3BlockingClient alice = Clients.connect3(broker.port(), "alice-1", "alice", "pw-alice");
        alice.disconnect();
        assertThatThrownBy(() -> Clients.connect3(broker.port(), "alice-2", "alice", "wrong"))
                .isInstanceOf(Mqtt3ConnAckException.class);
        browser.clickXpath("//button[@aria-label='Delete user alice']");
        browser.waitFor().until(d -> !d.findElement(By.cssSelector("#store-auth_username table")).getText()
                .contains("alice"));
    }

    @Test
    @Order(80)
    void everyPageDrawsAtDesktopAndPhoneWidth() {
        browser.open(base + "/#/overview");                       // a few refreshes, for the docs' screenshot
        for (int tick = 0; tick < 3; tick++) {
            String uptime = browser.awaitText("#ov-uptime", t -> !t.equals("…"));
            browser.awaitText("#ov-uptime", t -> !t.equals(uptime));
        }
        browser.screenshot("overview");
        String[] pages = {"sessions", "subscriptions", "topics", "retained", "plugins", "listeners", "alarms", "acl",
                          "admins"};
        for (String page : pages) {
            browser.open(base + "/#/" + page);
            browser.find("main h1");
            browser.waitFor().until(d -> !d.findElements(By.cssSelector("main table, main pre")).isEmpty());
            browser.screenshot(page);
        }
        browser.size(390, 844);
        browser.open(base + "/#/overview");
        browser.awaitText("#ov-connections", t -> t.matches("\\d+"));
        // even one pixel too wide shows a scroll bar
        Object overflow = browser.driver.executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth");
        assertThat(overflow).as("no sideways scrolling at phone width").isEqualTo(false);
        browser.screenshot("overview-phone");
        browser.size(1280, 800);
    }

    @Test
    @Order(90)
    void loggingOutClosesTheApp() {
        browser.open(base + "/#/overview");
        browser.click("#logout");
        browser.awaitText("h1", t -> t.equals("jemq dashboard"));
        browser.open(base + "/#/clients");
        assertThat(browser.driver.getCurrentUrl()).contains("/login.html");
    }

    private static void publish(Mqtt3BlockingClient c, String topic) {
        c.publishWith().topic(topic).payload("x".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
    }
}
