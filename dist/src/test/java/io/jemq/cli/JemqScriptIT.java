package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jemq driving the packaged broker (dist/target/lib), as an operator would. Runs after {@code package}.
 */
class JemqScriptIT {
    private static final Pattern LISTENING = Pattern.compile("listening on tcp\\.external 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private JemqScript jemq;
    private Path conf;

    @BeforeEach
    void setUp() throws IOException {
        jemq = new JemqScript(dir);
        conf = Files.writeString(dir.resolve("emq.conf"),
                "node.name = jemq@127.0.0.1\nlistener.tcp.external = 127.0.0.1:0\n");
    }

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        if (Files.exists(jemq.dataDir().resolve("jemq.pid"))) {
            jemq.run("stop");
        }
    }

    @Test
    void consoleWithAMissingConfigFileExitsTwo() throws InterruptedException {
        JemqScript.Result console = jemq.run("console", "--config", "missing.conf");

        assertThat(console.exitCode()).isEqualTo(2);
        assertThat(console.output()).contains(dir.resolve("missing.conf") + ": no such config file");
    }

    @Test
    void startThatFailsShowsTheEndOfTheLogAndLeavesNoPidFile() throws InterruptedException {
        JemqScript.Result start = jemq.run("start", "--config", "missing.conf");

        assertThat(start.exitCode()).isEqualTo(2);
        assertThat(start.output())
                .contains("jemq did not start (exit code 2); the end of " + jemq.logDir().resolve("console.log"))
                .contains("missing.conf: no such config file");
        assertThat(jemq.dataDir().resolve("jemq.pid")).doesNotExist();
    }

    @Test
    void consoleWithABadValueExitsTwoNamingFileAndLine() throws IOException, InterruptedException {
        Files.writeString(conf, "mqtt.max_packet_size = lots\n", StandardOpenOption.APPEND);

        JemqScript.Result console = jemq.run("console", "--config", "emq.conf");

        assertThat(console.exitCode()).isEqualTo(2);
        assertThat(console.output().trim()).startsWith(conf + ":3: mqtt.max_packet_size: ");
    }

    @Test
    void startStatusStopRunsTheBrokerInTheBackground() throws IOException, InterruptedException {
        JemqScript.Result start = jemq.run("start", "--config", "emq.conf");
        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(start.output()).containsPattern("jemq started \\(pid \\d+\\)");
        Matcher listening = LISTENING.matcher(start.output());
        assertThat(listening.find()).as(start.output()).isTrue();
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(listening.group(1)))) {
            assertThat(client.isConnected()).isTrue();
        }

        JemqScript.Result status = jemq.run("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.output()).startsWith("jemq is running (pid ");

        JemqScript.Result again = jemq.run("start", "--config", "emq.conf");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).startsWith("jemq is already running");

        JemqScript.Result stop = jemq.run("stop");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.output()).endsWith("jemq stopped\n").doesNotContain("KILL");
        assertThat(jemq.dataDir().resolve("jemq.pid")).doesNotExist();
        // Written by the shutdown hook just before it stops logback: proves the file was flushed.
        assertThat(jemq.logDir().resolve("jemq.log")).content().contains("jemq stopped");
    }

    @Test
    void consoleIsTheBrokerProcessAndStopsGracefullyOnTerm() throws IOException, InterruptedException {
        // as a one-node cluster: the script gives the JVM the options Hazelcast asks for, so it does not warn
        int clusterPort = freePortBelowEphemeral();
        Process console = jemq.launch("console", "--config", "emq.conf", "--set", "cluster.discovery=static",
                "--set", "cluster.listen=127.0.0.1:" + clusterPort, "--set", "cluster.static.seeds=127.0.0.1:"
                        + clusterPort);
        CompletableFuture<String> output = JemqScript.readAll(console.getInputStream());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !console.isAlive() || Files.exists(jemq.logDir().resolve("jemq.log"))
                        && Files.readString(jemq.logDir().resolve("jemq.log")).contains(" started as jemq@127.0.0.1"));
        assertThat(console.isAlive()).as(() -> "the broker exited: " + output.join()).isTrue();
        // exec: the script's pid is the JVM's, so an init system or `kill` reaches the broker itself.
        assertThat(console.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("java"));

        // Through the handle: Process.destroy() would also close our end of its output before we read it all.
        assertThat(console.toHandle().destroy()).isTrue();

        assertThat(console.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(console.exitValue()).isEqualTo(143);
        assertThat(output.join()).contains("jemq stopping", "jemq stopped");
        assertThat(jemq.logDir().resolve("jemq.log")).content().contains("is a member of cluster")
                .doesNotContain("without proper access to required Java packages");
    }

    /** A free port under 32768, where no outgoing connection can take it before the broker binds it. */
    private static int freePortBelowEphemeral() throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }
}
