package io.jemq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/jemq} as a user would, from a directory other than the jemq home, with its log and data dirs
 * and JVM options pointed at a test's own folder.
 */
final class JemqScript {
    /** Surefire and failsafe run in the module's folder, dist/; bin/ is beside it. */
    static final Path HOME = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final Path SCRIPT = HOME.resolve("bin/jemq");

    record Result(int exitCode, String output) {
    }

    private final Path workDir;
    private final Map<String, String> extraEnv = new java.util.HashMap<>();

    JemqScript(Path workDir) {
        this.workDir = workDir;
    }

    /** One more environment variable for every later run, e.g. {@code JEMQ_CTL_SOCKET}. */
    JemqScript env(String name, String value) {
        extraEnv.put(name, value);
        return this;
    }

    Path logDir() {
        return workDir.resolve("log");
    }

    Path dataDir() {
        return workDir.resolve("data");
    }

    /** Starts the script; stdout and stderr are merged, as a terminal shows them. */
    Process launch(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JEMQ_LOG_DIR", logDir().toString());
        env.put("JEMQ_DATA_DIR", dataDir().toString());
        // Never build from inside a Maven run: the ITs run after package, so dist/target/lib is fresh.
        env.put("JEMQ_SKIP_BUILD", "1");
        env.put("JAVA_OPTS", "-Xms32m -Xmx256m -XX:+ExitOnOutOfMemoryError");
        env.putAll(extraEnv);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script to its end; {@code start} returns once the broker is up, so this suits it too. */
    Result run(String... args) throws InterruptedException {
        Process process = launch(args);
        CompletableFuture<String> output = readAll(process.getInputStream());
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bin/jemq " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new Result(process.exitValue(), output.orTimeout(Duration.ofSeconds(10).toMillis(),
                TimeUnit.MILLISECONDS).join());
    }

    static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
