package io.jemq.hostile;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The packaged broker run by {@code bin/jemq console} as a separate process, with the shipped etc/emq.conf in which
 * only the listeners (and, where a row says so, a few limits) are changed. The JVM gets a fixed heap and direct
 * memory and exits on OutOfMemoryError, so running out of memory shows as a dead process rather than a sick one.
 */
final class BrokerProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    static final String JAVA_OPTS = "-Xmx256m -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError";
    static final long HEAP_MB = 256;
    static final long DIRECT_MB = 256;

    private static final Pattern LISTENING = Pattern.compile("listening on tcp\\.external 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern TLS_LISTENER = Pattern.compile("^listener\\.(ssl|wss)\\.");

    /**
     * Every listener on a free loopback port; the TLS ones off (their handshake set-up costs seconds per start, and
     * no row needs them); the control socket off, since the shipped path would be shared by parallel runs.
     */
    private static final String LISTENERS = """

            ## hostile suite: listeners on loopback, free ports
            listener.tcp.external = 127.0.0.1:0
            listener.tcp.internal = 127.0.0.1:0
            listener.ws.external = 127.0.0.1:0
            listener.api.mgmt = 127.0.0.1:0
            dashboard.listener = 127.0.0.1:0
            node.ctl_socket = off
            """;

    private final Process process;
    private final Path console;
    private final int port;

    private BrokerProcess(Process process, Path console, int port) {
        this.process = process;
        this.console = console;
        this.port = port;
    }

    /** @param changes settings that differ from the shipped file for this row, e.g. a lower idle timeout */
    static BrokerProcess start(Path dir, Map<String, String> changes) throws IOException {
        Path conf = dir.resolve("emq.conf");
        // each broker its own disk store: bin/jemq runs in the jemq home, whose data/store every run would share
        Files.writeString(conf, shippedConf() + LISTENERS + "mqtt.storage.dir = " + dir.resolve("data/store") + "\n"
                + changes.entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue() + "\n").collect(Collectors.joining()));
        Path console = dir.resolve("console.txt");
        ProcessBuilder builder = new ProcessBuilder("bash", HOME.resolve("bin/jemq").toString(), "console",
                "--config", conf.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(console.toFile());
        Map<String, String> env = builder.environment();
        env.put("JEMQ_LOG_DIR", dir.resolve("log").toString());
        env.put("JEMQ_DATA_DIR", dir.resolve("data").toString());
        env.put("JEMQ_SKIP_BUILD", "1");
        env.put("JAVA_OPTS", JAVA_OPTS);
        Process process = builder.start();
        await("broker start").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited " + process.exitValue() + ":\n" + Files.readString(console));
            }
            return Files.readString(console).contains(" started as ");
        });
        Matcher m = LISTENING.matcher(Files.readString(console));
        if (!m.find()) {
            throw new AssertionError("no tcp.external port in:\n" + Files.readString(console));
        }
        return new BrokerProcess(process, console, Integer.parseInt(m.group(1)));
    }

    /** The shipped file with its TLS listener blocks commented out. */
    private static String shippedConf() throws IOException {
        try (Stream<String> lines = Files.lines(HOME.resolve("etc/emq.conf"))) {
            return lines.map(l -> TLS_LISTENER.matcher(l).find() ? "# " + l : l).collect(Collectors.joining("\n"));
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the resident set size in KiB, from /proc/<pid>/status */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no VmRSS for " + pid());
    }

    /**
     * The bytes of the broker's live objects: a full GC, then the total of {@code jcmd <pid> GC.class_histogram}.
     * Unlike RSS, which keeps whatever heap the JVM once grew into, this goes back down when nothing leaks.
     */
    long liveHeapBytes() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new AssertionError("jcmd GC.class_histogram failed: " + out);
        }
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("Total")) {
                return Long.parseLong(f[2]);
            }
        }
        throw new AssertionError("no Total line from jcmd GC.class_histogram: " + out);
    }

    long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the broker printed so far (its console: the same lines as log/jemq.log). */
    String output() {
        try {
            return Files.readString(console, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> outputLines(String containing) {
        return output().lines().filter(l -> l.contains(containing)).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();                                   // TERM: a graceful stop
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
