package io.jemq.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs command-line peers (mosquitto_pub, npm, chromium) with a time limit. */
public final class Tools {
    private Tools() {
    }

    public record Result(int exitCode, String output) {
    }

    /** Whether the command is an executable file in a directory of the PATH: tests assume it before they start it. */
    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first of {@code commands} on the PATH; a test that needs it fails without: skipped, it would pass unseen.
     *
     * @param install what to install to get it, for the failure message
     */
    public static String required(String install, String... commands) {
        for (String command : commands) {
            if (onPath(command)) {
                return command;
            }
        }
        throw new AssertionError(String.join(" or ", commands) + " is not on the PATH: install " + install
                + " (run-tests.sh installs what the tests need)");
    }

    public static Result run(String... command) throws IOException, InterruptedException {
        return run(null, 60, List.of(command));
    }

    /** Runs in {@code workDir} (null = the current one), stdout and stderr together; killed after the limit. */
    public static Result run(Path workDir, int timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process went away; what was read is kept
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            return new Result(-1, command.get(0) + " timed out after " + timeoutSeconds + " s:\n" + out);
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString());
    }
}
