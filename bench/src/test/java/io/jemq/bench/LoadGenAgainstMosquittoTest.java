package io.jemq.bench;

import io.jemq.bench.scenario.Result;
import io.jemq.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each scenario for about a second against a real Mosquitto on a free port, at rates loopback carries without loss;
 * fan-in also over TLS (a test CA's server certificate, made by the test kit) and WebSocket. Each test is skipped
 * where Mosquitto is not installed (run-tests.sh installs it, and fails on any skip).
 */
class LoadGenAgainstMosquittoTest {
    private static final String[] SHORT = {"--warmup", "0.3", "--duration", "1", "--quiet", "0.5", "--no-progress"};
    @TempDir
    static Path dir;

    private static TestPki pki;
    private static Process mosquitto;
    private static int port;
    /** A second plain listener of the same Mosquitto: where --sub-port sends the subscribers. */
    private static int subPort;
    private static int tlsPort;
    private static int wsPort;

    @BeforeAll
    static void startMosquitto() throws IOException {
        Path binary = Stream.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")
                .map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            return;                                     // mosquittoInstalled() skips each test, and says why
        }
        port = freePort();
        subPort = freePort();
        List<String> conf = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "listener " + subPort + " 127.0.0.1",
                "allow_anonymous true",
                "max_queued_messages 100000",
                "max_inflight_messages 32",
                "persistence false"));
        // a certificate for 127.0.0.1 from a CA made for this run: without it Mosquitto does not start
        pki = new TestPki(dir, "bench");
        readableByAll(dir, pki.server.certFile(), pki.server.keyFile());   // a Mosquitto run as root drops to its user
        tlsPort = freePort();
        conf.addAll(List.of(
                "listener " + tlsPort + " 127.0.0.1",
                "certfile " + pki.server.certFile(),
                "keyfile " + pki.server.keyFile()));
        wsPort = freePort();
        List<String> withWebSocket = new ArrayList<>(conf);
        withWebSocket.addAll(List.of("listener " + wsPort + " 127.0.0.1", "protocol websockets"));
        if (!started(binary, withWebSocket)) {
            // a build without libwebsockets refuses the whole file; the WebSocket test is skipped then
            assertThat(log()).contains("Websockets support not available");
            wsPort = 0;
            assertThat(started(binary, conf)).as("mosquitto started; its log: %s", log()).isTrue();
        }
    }

    // before each test, not in @BeforeAll: surefire reports a class aborted there as zero tests, not as skips
    @BeforeEach
    void mosquittoInstalled() {
        assumeTrue(mosquitto != null, "mosquitto is not installed (Debian package mosquitto)");
    }

    /** Starts Mosquitto and waits until it accepts on every port, or exits. */
    private static boolean started(Path binary, List<String> conf) throws IOException {
        Path file = dir.resolve("mosquitto.conf");
        Files.writeString(file, String.join("\n", conf) + "\n");
        mosquitto = new ProcessBuilder(binary.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !mosquitto.isAlive() || Stream.of(port, subPort, tlsPort, wsPort)
                        .allMatch(p -> p == 0 || accepts(p)));
        return mosquitto.isAlive();
    }

    private static String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    @AfterAll
    static void stopMosquitto() throws InterruptedException {
        if (mosquitto != null) {
            mosquitto.destroy();
            if (!mosquitto.waitFor(5, TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly();
            }
        }
    }

    @Test
    void fanInDeliversEveryMessage() {
        Map<String, String> r = run("fanin", "--publishers", "10", "--rate", "5000",
                "--broker-pid", Long.toString(mosquitto.pid()));
        assertThat(Long.parseLong(r.get("received"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
        assertThat(r).containsEntry("lost", "0").containsEntry("lost_connections", "0");
        assertThat(Long.parseLong(r.get("msgs_per_s"))).isBetween(2000L, 8000L);
        assertThat(Double.parseDouble(r.get("broker_us_per_msg"))).isPositive();
        assertThat(Double.parseDouble(r.get("loadgen_cpu"))).isPositive();
        assertThat(r).containsEntry("transport_security", "plain").containsEntry("ws", "false");
    }

    @Test
    void fanInOverTlsDeliversEveryMessage() {
        Map<String, String> r = runOn(tlsPort, "fanin", "--cafile", pki.ca.certFile().toString(),
                "--publishers", "5", "--rate", "2000");
        assertThat(r).containsEntry("transport_security", "tls").containsEntry("ws", "false")
                .containsEntry("lost", "0").containsEntry("lost_connections", "0");
        assertThat(r.get("tls_session")).startsWith("TLSv1.");
        assertThat(Long.parseLong(r.get("received"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
    }

    @Test
    void fanInOverWebSocketDeliversEveryMessage() {
        assumeTrue(wsPort != 0, "this mosquitto was built without websockets");
        Map<String, String> r = runOn(wsPort, "fanin", "--ws", "--publishers", "5", "--rate", "2000");
        assertThat(r).containsEntry("transport_security", "plain").containsEntry("ws", "true")
                .containsEntry("lost", "0").containsEntry("lost_connections", "0");
        assertThat(Long.parseLong(r.get("received"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
    }

    @Test
    void tlsToAPlainListenerIsAClearFailure() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = command(out, err).execute("fanin", "--port", Integer.toString(port), "--tls", "--no-progress");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void fanInSpeaksMqtt5() {
        Map<String, String> r = run("fanin", "--mqtt", "5", "--publishers", "3", "--rate", "1000");
        assertThat(r).containsEntry("mqtt", "5").containsEntry("lost", "0");
        assertThat(Long.parseLong(r.get("received"))).isPositive();
    }

    @Test
    void fanOutDeliversEveryMessageToEverySubscriber() {
        Map<String, String> r = run("fanout", "--subscribers", "10", "--rate", "1000");
        long sent = Long.parseLong(r.get("sent"));
        assertThat(sent).isPositive();
        assertThat(Long.parseLong(r.get("received"))).isEqualTo(sent * 10);
        assertThat(r).containsEntry("lost", "0");
    }

    @Test
    void qos1MessagesAreAcknowledgedAndDelivered() {
        Map<String, String> r = run("qos1", "--publishers", "2", "--window", "8");
        assertThat(r).containsEntry("window", "8");
        assertThat(Long.parseLong(r.get("acked"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
        assertThat(r).containsEntry("lost", "0").containsEntry("duplicates", "0");
        assertThat(Long.parseLong(r.get("acked_per_s"))).isPositive();
    }

    @Test
    void qos1FanOutDeliversEveryMessageToEverySubscriber() {
        Map<String, String> r = run("qos1", "--publishers", "1", "--subscribers", "4", "--window", "8");
        long sent = Long.parseLong(r.get("sent"));
        assertThat(sent).isPositive();
        assertThat(Long.parseLong(r.get("received"))).isEqualTo(sent * 4);
        assertThat(r).containsEntry("lost", "0").containsEntry("duplicates", "0");
    }

    @Test
    void qos2MessagesAreCompletedAndDeliveredOnce() {
        Map<String, String> r = run("qos2", "--publishers", "2", "--window", "8");
        assertThat(r).containsEntry("qos", "2");
        assertThat(Long.parseLong(r.get("acked"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
        assertThat(r).containsEntry("lost", "0").containsEntry("duplicates", "0");
    }

    @Test
    void latencyIsMeasuredOnEveryMessageOfTheWindow() {
        Map<String, String> r = run("latency", "--rate", "1000");
        assertThat(Long.parseLong(r.get("samples"))).isBetween(500L, 1500L);
        assertThat(Double.parseDouble(r.get("p50_us"))).isPositive()
                .isLessThanOrEqualTo(Double.parseDouble(r.get("p99_us")));
        assertThat(r).containsEntry("lost", "0");
    }

    @Test
    void idleConnectionsAreCountedAndWeighed() {
        Map<String, String> r = run("idle", "--connections", "300", "--connect-rate", "3000", "--source-addresses", "3",
                "--hold", "0.2", "--broker-pid", Long.toString(mosquitto.pid()));
        assertThat(r).containsEntry("connected", "300").containsEntry("failed", "0");
        assertThat(Long.parseLong(r.get("conn_per_s"))).isPositive();
        assertThat(Long.parseLong(r.get("rss_after_kib"))).isPositive();
        assertThat(r).containsKey("rss_per_conn_bytes");
        assertThat(r).as("Mosquitto has no Java heap to weigh").doesNotContainKey("live_heap_per_conn_bytes");
    }

    @Test
    void publishersAndSubscribersConnectWhereTheirPortsSay() throws IOException {
        Map<String, String> r = run("fanin", "--publishers", "5", "--rate", "2000", "--sub-port",
                Integer.toString(subPort));
        assertThat(r).containsEntry("broker", "127.0.0.1:" + port + "->" + subPort).containsEntry("lost", "0");
        assertThat(Long.parseLong(r.get("received"))).isPositive().isEqualTo(Long.parseLong(r.get("sent")));
        // the subscriber really goes to --sub-port: nothing listens there, so the run stops at its connect
        StringWriter err = new StringWriter();
        int free = freePort();
        int code = command(new StringWriter(), err).execute("fanin", "--port", Integer.toString(port), "--sub-port",
                Integer.toString(free), "--no-progress");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:" + free);
    }

    @Test
    void anUnreachableBrokerIsAClearFailure() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = command(out, err).execute("fanin", "--port", Integer.toString(freePort()), "--no-progress");
        assertThat(code).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("cannot connect to 127.0.0.1:").contains("Connection refused");
    }

    @Test
    void helpNamesEveryScenario() {
        StringWriter out = new StringWriter();
        int code = command(out, new StringWriter()).execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("fanin", "fanout", "qos1", "qos2", "latency", "idle");
    }

    private static Map<String, String> run(String scenario, String... options) {
        return runOn(port, scenario, options);
    }

    private static Map<String, String> runOn(int brokerPort, String scenario, String... options) {
        List<String> args = new ArrayList<>(List.of(scenario, "--port", Integer.toString(brokerPort)));
        args.addAll(List.of(SHORT));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = command(out, err).execute(args.toArray(String[]::new));
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines).as("one result line").hasSize(1);
        Map<String, String> result = Result.parse(lines[0]);
        assertThat(result).containsEntry("scenario", scenario);
        return result;
    }

    private static CommandLine command(StringWriter out, StringWriter err) {
        return new CommandLine(new LoadGen()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    }

    private static void readableByAll(Path folder, Path... files) throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path f : files) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
