package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jemq's own commands, which need no JVM: help, usage errors, and the pid-file bookkeeping. */
class JemqScriptTest {
    @TempDir
    Path dir;

    private JemqScript jemq;

    @BeforeEach
    void setUp() {
        jemq = new JemqScript(dir);
    }

    @Test
    void helpDescribesEveryCommandAndTheEnvironment() throws InterruptedException {
        JemqScript.Result help = jemq.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.output())
                .startsWith("Usage: bin/jemq COMMAND")
                .contains("console [OPTIONS]", "start [OPTIONS]", "stop ", "status ", "--config FILE",
                        "--set KEY=VALUE", "JAVA_OPTS", "log/console.log", "data/jemq.pid", "Exit codes:");
    }

    @Test
    void helpCommandPrintsTheSameHelp() throws InterruptedException {
        assertThat(jemq.run("help")).isEqualTo(jemq.run("--help"));
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() throws InterruptedException {
        assertThat(jemq.run().exitCode()).isEqualTo(2);

        JemqScript.Result unknown = jemq.run("launch");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).startsWith("jemq: unknown command 'launch'").contains("Usage: bin/jemq");
    }

    @Test
    void statusWithoutPidFileSaysNotRunning() throws InterruptedException {
        JemqScript.Result status = jemq.run("status");

        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.output()).isEqualTo("jemq is not running\n");
    }

    @Test
    void aPidFileOfADeadProcessIsReportedAndCleanedByStop() throws IOException, InterruptedException {
        Path pidFile = writePidFile(deadPid());

        JemqScript.Result status = jemq.run("status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("not running", pidFile.toString());

        JemqScript.Result stop = jemq.run("stop");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.output()).contains("removed the stale pid file");
        assertThat(pidFile).doesNotExist();
    }

    @Test
    void aPidReusedByAnotherProgramIsNotTakenForJemq() throws IOException, InterruptedException {
        // This test JVM is alive but is not io.jemq.Main: stop must not signal it.
        writePidFile(ProcessHandle.current().pid());

        assertThat(jemq.run("status").exitCode()).isEqualTo(1);
        assertThat(jemq.run("stop").exitCode()).isZero();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    private Path writePidFile(long pid) throws IOException {
        Files.createDirectories(jemq.dataDir());
        return Files.writeString(jemq.dataDir().resolve("jemq.pid"), pid + "\n");
    }

    private static long deadPid() throws IOException, InterruptedException {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        return done.pid();
    }
}
