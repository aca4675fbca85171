package io.jemq.bench.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a broker that runs on a JVM: the total of {@code jcmd <pid> GC.class_histogram}, which collects
 * first, so only what is reachable counts. Unlike resident memory it does not move with when the JIT or the collector
 * grew their own memory: what a connection holds, read the same way each run. Mosquitto and other native brokers have
 * none ({@link #of} is -1).
 */
final class LiveHeap {
    private static final long JCMD_TIMEOUT_SECONDS = 60;

    private LiveHeap() {
    }

    /** Whether the process is a JVM: its executable is named java. */
    static boolean isJvm(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString()
                    .equals("java");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Bytes of live objects in the JVM with this pid, or -1 when it is not a JVM or jcmd cannot read it. */
    static long of(long pid) {
        if (!isJvm(pid)) {
            return -1;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;                                      // a JRE without the JDK's tools
        }
        Path out = null;
        try {
            // to a file, not a pipe: the timeout holds whatever jcmd does, and a large histogram never blocks it
            out = Files.createTempFile("jemq-bench-histogram", ".txt");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            return p.exitValue() != 0 || lines.isEmpty() ? -1 : total(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temp file left behind costs nothing worth a failed measurement
            }
        }
    }

    /** The histogram's last line: {@code Total <instances> <bytes>}. */
    static long total(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 3 || !parts[0].equals("Total")) {
            return -1;
        }
        try {
            return Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
