package io.jemq.listeners;

import io.jemq.testkit.Tools;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser as the client: MQTT.js (from npm, installed into target/) in headless Chromium connects to
 * ws://127.0.0.1:PORT/mqtt, says it is ready, and answers every message it receives; a HiveMQ client on TCP talks to
 * it. Fails, naming what to install, when Chromium or npm is missing: run-tests.sh installs both.
 */
class BrowserClientIT {
    private static final Path NPM_DIR = Path.of("target/browser-test").toAbsolutePath();
    private static final Path MQTT_JS = NPM_DIR.resolve("node_modules/mqtt/dist/mqtt.min.js");

    @TempDir
    Path profile;

    @Test
    void mqttJsInHeadlessChromiumReceivesAndAnswers() throws Exception {
        String chromium = Tools.required("the Debian package chromium", "chromium", "chromium-browser");
        Tools.required("the Debian package npm (or Node.js with npm)", "npm");
        installMqttJs();

        try (ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0",
                "listener.ws.test", "127.0.0.1:0")) {
            Mqtt3BlockingClient peer = MqttClient.builder().identifier("browser-peer").serverHost("127.0.0.1")
                    .serverPort(b.port("tcp.test")).useMqttVersion3().buildBlocking();
            peer.connect();
            Mqtt3BlockingClient.Mqtt3Publishes inbox = peer.publishes(MqttGlobalPublishFilter.ALL);
            peer.subscribeWith().topicFilter("browser/out/#").qos(MqttQos.AT_LEAST_ONCE).send();

            HttpServer page = servePage(b.port("ws.test"));
            Process browser = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                    "http://127.0.0.1:" + page.getAddress().getPort() + "/index.html")
                    .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
            try {
                Mqtt3Publish ready = inbox.receive(60, TimeUnit.SECONDS).orElseThrow(() ->
                        new AssertionError("the page did not connect; chromium said:\n" + log()));
                assertThat(ready.getTopic().toString()).isEqualTo("browser/out/ready");

                peer.publishWith().topic("browser/in").qos(MqttQos.AT_LEAST_ONCE)
                        .payload("hello browser".getBytes(StandardCharsets.UTF_8)).send();

                Mqtt3Publish answer = inbox.receive(30, TimeUnit.SECONDS).orElseThrow(() ->
                        new AssertionError("the page did not answer; chromium said:\n" + log()));
                assertThat(answer.getTopic().toString()).isEqualTo("browser/out/answer");
                assertThat(new String(answer.getPayloadAsBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("got hello browser on browser/in");
            } finally {
                stopWithItsChildren(browser);
                page.stop(0);
                peer.disconnect();
            }
        }
    }

    /**
     * Chromium's renderer and helper processes outlive a killed parent for a moment and keep writing into the
     * profile: the temporary directory could not be deleted after the test. Every process of the tree is ended.
     */
    private static void stopWithItsChildren(Process browser) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(browser.descendants().toList());
        tree.add(browser.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError("chromium process " + p.pid() + " did not exit", e);
            }
        }
    }

    private String log() {
        try {
            return Files.readString(profile.resolve("chromium.log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** npm install into target/, once per build directory: the registry is asked only when it is not there. */
    private static void installMqttJs() throws Exception {
        if (Files.exists(MQTT_JS)) {
            return;
        }
        Files.createDirectories(NPM_DIR);
        Tools.Result r = Tools.run(NPM_DIR, 300, List.of("npm", "install", "--no-audit", "--no-fund",
                "--loglevel=error", "--prefix", NPM_DIR.toString(), "mqtt@5"));
        assertThat(r.exitCode() == 0 && Files.exists(MQTT_JS))
                .as("npm could not install mqtt (exit code %d): %s", r.exitCode(), r.output()).isTrue();
    }

    private static HttpServer servePage(int wsPort) throws IOException {
        String html = """
                <!doctype html>
                <html><head><meta charset="utf-8"><script src="mqtt.min.js"></script></head>
                <body><script>
                  const client = mqtt.connect('ws://127.0.0.1:%d/mqtt',
                                              {clientId: 'chromium-page', protocolVersion: 4});
                  client.on('connect', () => {
                    client.subscribe('browser/in', {qos: 1}, () => {
                      client.publish('browser/out/ready', 'ready', {qos: 1});
                    });
                  });
                  client.on('message', (topic, payload) => {
                    client.publish('browser/out/answer', 'got ' + payload.toString() + ' on ' + topic, {qos: 1});
                  });
                  client.on('error', e => console.log('mqtt error ' + e));
                </script></body></html>
                """.formatted(wsPort);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/index.html", ex -> reply(ex, "text/html", html.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/mqtt.min.js", ex -> reply(ex, "application/javascript", Files.readAllBytes(MQTT_JS)));
        server.start();
        return server;
    }

    private static void reply(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
