package io.jemq.auth.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away {@code redis-server} (the Debian package) for one test class: a free port on 127.0.0.1, its files in a
 * temporary folder, deleted on {@link #close}. {@link #stop} and {@link #restart} on the same port and folder act out
 * an outage; what was written survives it (the server saves on SIGTERM). {@link #cli} runs {@code redis-cli} against
 * it, so tests write their data with the commands a user would type. Called from the test's thread.
 */
public final class RedisServer implements AutoCloseable {
    private static final long START_SECONDS = 10;

    private final Path dir;
    private final int port;
    private final List<String> command;
    private Process process;

    private RedisServer(Path dir, int port, List<String> command) {
        this.dir = dir;
        this.port = port;
        this.command = command;
    }

    /** A server on a free port; {@code extraArgs} are redis-server options such as {@code --requirepass s3cret}. */
    public static RedisServer start(String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("jemq-redis");
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", "dump.rdb", "--save", "3600 1",
                    "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "notice"));
            cmd.addAll(List.of(extraArgs));
            RedisServer r = new RedisServer(dir, port, List.copyOf(cmd));
            r.restart();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sentinel on a free port that monitors the master on {@code masterPort} under {@code masterName}. */
    public static RedisServer sentinel(int masterPort, String masterName, String masterPassword) {
        try {
            Path dir = Files.createTempDirectory("jemq-sentinel");
            int port = freePort();
            Path conf = dir.resolve("sentinel.conf");       // a sentinel rewrites its config file: a file of its own
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\nprotected-mode no\ndir " + dir + "\n"
                    + "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n"
                    + (masterPassword == null ? "" : "sentinel auth-pass " + masterName + " " + masterPassword + "\n"));
            RedisServer r = new RedisServer(dir, port, List.of("redis-server", conf.toString(), "--sentinel"));
            r.restart();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nobody listens on right now (bound and released; a server binds it next). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    /** Starts the server (again after {@link #stop}: same port, same folder); returns once it accepts connections. */
    public void restart() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-server (Debian package redis-server)", e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder output = new StringBuilder();
        Process p = process;
        Thread reader = new Thread(() -> drain(p, ready, output), "redis-" + port + "-log");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(START_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                synchronized (output) {
                    throw new IllegalStateException("redis-server on port " + port + " did not start:\n" + output);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void drain(Process p, CountDownLatch ready, StringBuilder output) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.append(line).append('\n');
                }
                if (line.contains("Ready to accept connections") || line.contains("+monitor master")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process ended: nothing more to read
        }
    }

    /** Stops the server (SIGTERM: it saves its data and exits) and waits until it is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Runs {@code redis-cli -p <port> args...} and returns what it printed. */
    public String cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        return run(cmd, null);
    }

    /** Feeds {@code lines} to {@code redis-cli -p <port>} as a user pasting commands would, one command a line. */
    public String script(String lines) {
        return run(List.of("redis-cli", "-p", Integer.toString(port)), lines);
    }

    private static String run(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed: " + out);
            }
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server and deletes its folder. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
