package io.jemq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command-line client (mosquitto_pub, mosquitto_sub) whose output lines are collected as they come; see
 * {@link Tools#onPath} to check it is installed. Called from the test's thread; a daemon thread reads the output.
 */
public final class Cli implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private Cli(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process was killed: nothing more to read
            }
        }, "cli-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static Cli start(String... command) throws IOException {
        return start(List.of(command));
    }

    public static Cli start(List<String> command) throws IOException {
        return new Cli(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The first line (from now on) that matches; fails after 5 s with what was printed. */
    public String awaitLine(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            seen.add(line);
            if (matches.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no matching line within " + Clients.WAIT + "; output so far: " + seen);
    }

    public int exitCode() throws InterruptedException {
        assertThat(process.waitFor(Clients.WAIT.toSeconds(), TimeUnit.SECONDS)).as("process exited").isTrue();
        return process.exitValue();
    }

    /** What it printed so far, for failure messages. */
    public List<String> output() {
        lines.drainTo(seen);
        return seen;
    }

    /** SIGKILL: the socket is closed by the OS, without DISCONNECT. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
