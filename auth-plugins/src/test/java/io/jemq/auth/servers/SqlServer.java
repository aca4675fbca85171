package io.jemq.auth.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away database server a test class starts once ({@link MariaDbServer}, {@link PostgresServer}): on a free
 * port of 127.0.0.1, its data in a temporary folder, stopped and deleted by {@link #close}. The tests reach it as its
 * administrator through JDBC to set tables up and look at them; the plugin under test reaches it as {@link #user()}.
 */
public interface SqlServer extends AutoCloseable {
    int port();

    /** The plugin's account: all rights on the {@code mqtt} database, so an injection that worked could write. */
    String user();

    String password();

    /** The administrator's JDBC URL for the {@code mqtt} database. */
    String adminUrl();

    /** Stops the server as an outage would (its clients lose their connections); {@link #restart} brings it back. */
    void stop();

    /** Starts it again after {@link #stop}, on the same port with the same data. */
    void restart();

    /**
     * Restarts the server with TLS on (its certificate and key as PEM files, copied into its folder); clients may
     * still connect without TLS.
     */
    void enableTls(Path certFile, Path keyFile);

    /** The statements the server refused with an error since it started (syntax errors included). */
    List<String> errors();

    /** Runs statements as the administrator, in the {@code mqtt} database. */
    default void execute(String... statements) {
        try (Connection c = DriverManager.getConnection(adminUrl()); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The rows of a query as the administrator, each as its columns' text. */
    default List<List<String>> rows(String query) {
        try (Connection c = DriverManager.getConnection(adminUrl()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            List<List<String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    void close();

    /** What the two servers share: running a command, a free port, deleting their folder. */
    final class Processes {
        private Processes() {
        }

        /** Runs a command to its end; its output goes to {@code log}. @throws IllegalStateException when it fails */
        static void run(Path log, Duration timeout, String... command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " took over " + timeout + "; see "
                            + log);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                            + Files.readString(log));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Starts a long-running server; its output goes to {@code log}. */
        static Process start(Path log, List<String> command) {
            try {
                return new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static int freePort() {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void waitFor(Process process, Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void deleteTree(Path root) {
            if (root == null || !Files.exists(root)) {
                return;
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                        Files.delete(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + root, e);
            }
        }

        static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
