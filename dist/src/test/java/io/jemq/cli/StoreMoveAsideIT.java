package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jemq store-move-aside}: the documented way out of a disk store the broker refuses to start with
 * (docs/durability.md). Runs the script as an operator would, after {@code package}.
 */
class StoreMoveAsideIT {
    @TempDir
    Path dir;

    private JemqScript jemq;
    private Path store;

    @BeforeEach
    void setUp() throws IOException {
        jemq = new JemqScript(dir);
        store = dir.resolve("the-store");
        Files.writeString(dir.resolve("emq.conf"), "node.name = jemq@127.0.0.1\nmqtt.storage.dir = " + store + "\n");
    }

    @Test
    void movesTheStoreAsideKeepingEverythingInIt() throws IOException, InterruptedException {
        Files.createDirectories(store);
        Files.writeString(store.resolve("CURRENT"), "MANIFEST-000001\n");
        Files.writeString(store.resolve("LOCK"), "");

        JemqScript.Result moved = jemq.run("store-move-aside", "--config", "emq.conf");

        assertThat(moved.exitCode()).as(moved.output()).isZero();
        assertThat(moved.output()).contains("moved the disk store " + store + " aside to " + store + ".broken-");
        assertThat(store).doesNotExist();
        try (Stream<Path> beside = Files.list(dir)) {
            Path aside = beside.filter(p -> p.getFileName().toString().startsWith("the-store.broken-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(aside.resolve("CURRENT"))).isEqualTo("MANIFEST-000001\n");
        }
    }

    @Test
    void noStoreIsNothingToDo() throws InterruptedException {
        JemqScript.Result run = jemq.run("store-move-aside", "--config", "emq.conf");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("no disk store in " + store + ": nothing to move");
    }

    @Test
    void refusesWhileAnotherProcessHoldsTheStoresLock() throws IOException, InterruptedException {
        Files.createDirectories(store);
        Path lock = Files.writeString(store.resolve("LOCK"), "");
        // RocksDB locks LOCK with fcntl; Python's lockf takes the same kind of lock, from another process
        Process holder = new ProcessBuilder(List.of("python3", "-c",
                "import fcntl,sys; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True);"
                        + " sys.stdin.read()", lock.toString())).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("held\n");

            JemqScript.Result run = jemq.run("store-move-aside", "--config", "emq.conf");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.output()).contains("a running broker holds the disk store in " + store + ": stop it first");
            assertThat(store.resolve("LOCK")).exists();
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
    }

    @Test
    void helpSaysWhatItDoes() throws InterruptedException {
        JemqScript.Result help = jemq.run("store-move-aside", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("Moves the disk store (mqtt.storage.dir) aside");
    }
}
