package io.jemq.cli.ctl;

import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;
import io.jemq.ctl.ControlServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ctl client against a real control socket (the broker's server end, with one scripted command). */
class CtlMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int ctl(String... args) {
        return CtlMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void saysSoWhenNoBrokerRuns() {
        assertThat(ctl("--socket", dir.resolve("none.sock").toString(), "plugins", "list")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no broker answers on", "is jemq running");
    }

    @Test
    void forwardsTheCommandAndReturnsItsExitCode() throws Exception {
        Path socket = dir.resolve("ctl.sock");
        try (ControlServer server = ControlServer.start(socket, echo())) {
            assertThat(ctl("--socket=" + socket, "echo", "a b", "ü")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("a b|ü\n");
            out.reset();
            assertThat(ctl("--socket", socket.toString(), "echo")).isEqualTo(2);
            out.reset();
            assertThat(ctl("--socket", socket.toString(), "echo", "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("echo <Words>");
            out.reset();
            assertThat(ctl("--socket", socket.toString(), "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: bin/jemq ctl", "echo <Words>");
        }
    }

    @Test
    void takesTheSocketFromTheConfigurationFile() throws Exception {
        Path socket = dir.resolve("from-conf.sock");
        Path conf = dir.resolve("node2.conf");
        Files.writeString(conf, "node.ctl_socket = " + socket + "\n");
        try (ControlServer server = ControlServer.start(socket, echo())) {
            assertThat(ctl("--config", conf.toString(), "echo", "hi")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
        }
    }

    @Test
    void saysWhyWhenTheConfigurationTurnsTheSocketOffOrIsMissing() throws Exception {
        Path conf = dir.resolve("off.conf");
        Files.writeString(conf, "node.ctl_socket = off\n");
        assertThat(ctl("--config=" + conf, "status")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("node.ctl_socket is off in " + conf);
        err.reset();
        assertThat(ctl("--config", dir.resolve("nowhere.conf").toString(), "status")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nowhere.conf: no such file");
    }

    /** A command table with one scripted command: {@code echo <Words>} prints them joined by {@code |}. */
    private static ControlCommands echo() {
        ControlCommands commands = new ControlCommands();
        commands.register("echo", new ControlCommand() {
            @Override
            public List<String> usage() {
                return List.of("echo <Words>                        Print the words");
            }

            @Override
            public int run(List<String> args, PrintWriter o) {
                o.println(String.join("|", args));
                return args.isEmpty() ? ControlCommands.USAGE : ControlCommands.OK;
            }
        });
        return commands;
    }
}
