package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jemq.Main;
import picocli.CommandLine;

class JemqCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void helpDescribesTheOptionsAndExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .startsWith("Usage: jemq ")
                .contains("--config=FILE", "default: etc/emq.conf", "--set=KEY=VALUE", "--version", "Exit codes:");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionNamesTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().trim()).matches("jemq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void aMissingConfigFileIsAConfigErrorWithoutStackTrace() {
        Path missing = dir.resolve("nope.conf");

        assertThat(run("--config", missing.toString())).isEqualTo(2);
        assertThat(err.toString().trim())
                .isEqualTo(missing + ": no such config file (give another one with --config FILE)");
    }

    @Test
    void setWithoutEqualsSignIsAUsageError() {
        assertThat(run("--set", "listener.tcp.external")).isEqualTo(2);
        assertThat(err.toString()).contains("KEY=VALUE").contains("Usage: jemq");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("--port", "1883")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option", "'--port'", "Usage: jemq");
    }

    @Test
    void aBadValueInTheFileExitsTwoNamingFileLineAndKey() throws IOException {
        Path conf = Files.writeString(dir.resolve("emq.conf"),
                "## jemq test\nnode.name = jemq@127.0.0.1\nmqtt.max_packet_size = lots\n");

        assertThat(run("--config", conf.toString())).isEqualTo(2);
        assertThat(err.toString().trim())
                .startsWith(conf + ":3: mqtt.max_packet_size: ")
                .contains("\"lots\"")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aBadValueGivenWithSetExitsTwoNamingSet() throws IOException {
        Path conf = Files.writeString(dir.resolve("emq.conf"), "node.name = jemq@127.0.0.1\n");

        assertThat(run("--config", conf.toString(), "--set", "mqtt.max_packet_size=lots")).isEqualTo(2);
        assertThat(err.toString().trim())
                .contains("--set", "mqtt.max_packet_size", "\"lots\"")
                .doesNotContain("Exception", "\tat ");
    }
}
