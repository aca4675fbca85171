package io.jemq.cli;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/jemq ctl} as a separate process against the packaged broker started with {@code bin/jemq start}, as an
 * operator scripts it: EMQ's output lines, {@code --json}, {@code --help}, trace files, and one line with exit code 1
 * when no broker runs. Runs after {@code package}.
 */
class JemqCtlIT {
    private static final Pattern LISTENING = Pattern.compile("listening on tcp\\.external 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    static Path dir;
    private static JemqScript jemq;
    private static Mqtt3BlockingClient client;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Path socket = dir.resolve("data/jemq.ctl.sock");
        jemq = new JemqScript(dir).env("JEMQ_CTL_SOCKET", socket.toString());
        Files.writeString(dir.resolve("emq.conf"), "node.name = jemq@127.0.0.1\n"
                + "listener.tcp.external = 127.0.0.1:0\nnode.ctl_socket = " + socket + "\n");

        JemqScript.Result notRunning = jemq.run("ctl", "status");
        assertThat(notRunning.exitCode()).isEqualTo(1);
        assertThat(notRunning.output().lines()).singleElement().asString().contains("is jemq running");

        JemqScript.Result start = jemq.run("start", "--config", "emq.conf");
        assertThat(start.exitCode()).as(start.output()).isZero();
        Matcher listening = LISTENING.matcher(start.output());
        assertThat(listening.find()).as(start.output()).isTrue();
        client = Mqtt3Client.builder().identifier("dist-c1").serverHost("127.0.0.1")
                .serverPort(Integer.parseInt(listening.group(1))).buildBlocking();
        client.connect();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.disconnect();
        }
        jemq.run("stop");
    }

    @Test
    void statusBrokerAndClientsReadAsEmqs() throws InterruptedException {
        JemqScript.Result status = jemq.run("ctl", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.output()).matches("Node 'jemq@127\\.0\\.0\\.1' is started\njemq \\S+ is running\n");

        assertThat(jemq.run("ctl", "clients", "list").output()).matches("Client\\(dist-c1, clean_sess=true, "
                + "username=undefined, peername=127\\.0\\.0\\.1:\\d+, connected_at=\\d{10}\\)\n");
        assertThat(jemq.run("ctl", "--json", "clients", "list").output()).contains("\"client_id\" : \"dist-c1\"");
        assertThat(jemq.run("ctl", "broker", "stats").output()).contains("clients/count       : 1\n");
        assertThat(jemq.run("ctl", "listeners").output()).startsWith("listener on mqtt:tcp:127.0.0.1:")
                .contains("  current_clients : 1\n");
    }

    @Test
    void findsTheSocketInTheConfigurationTheBrokerWasStartedWith() throws InterruptedException {
        JemqScript withoutSocket = new JemqScript(dir);     // no JEMQ_CTL_SOCKET: node.ctl_socket of the file decides
        JemqScript.Result status = withoutSocket.run("ctl", "--config", "emq.conf", "status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).endsWith(" is running\n");
    }

    @Test
    void helpListsEveryCommandAndWrongUseExitsTwo() throws InterruptedException {
        JemqScript.Result help = jemq.run("ctl", "help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("status", "broker metrics", "clients kick <ClientId>",
                "sessions list persistent", "routes show <Topic>", "topics list", "subscriptions del <ClientId>",
                "plugins load <Plugin>", "listeners", "acl reload", "acl explain <ClientId|--username U --ip A>",
                "trace topic <Topic> <LogFile>",
                "vm all", "cluster status");
        JemqScript.Result wrong = jemq.run("ctl", "vm", "everything");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.output()).startsWith("Usage:");
        assertThat(jemq.run("ctl", "trace", "--help").output()).contains("trace client <ClientId> off");
    }

    @Test
    void aTraceFileHoldsTheTracedClientsPackets() throws Exception {
        Path file = dir.resolve("trace_dist.log");
        JemqScript.Result on = jemq.run("ctl", "trace", "client", "dist-c1", file.toString());
        assertThat(on.output()).isEqualTo("trace client dist-c1 successfully.\n");
        assertThat(jemq.run("ctl", "trace", "list").output()).isEqualTo("trace client dist-c1 -> " + file + "\n");
        client.publishWith().topic("dist/t").payload("hi".getBytes(StandardCharsets.UTF_8)).send();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && Files.readString(file).contains("RECV PUBLISH(Q0, R0, D0, Topic=dist/t, Payload=hi)"));
        assertThat(jemq.run("ctl", "trace", "client", "dist-c1", "off").output())
                .isEqualTo("stop tracing client dist-c1 successfully.\n");
    }
}
