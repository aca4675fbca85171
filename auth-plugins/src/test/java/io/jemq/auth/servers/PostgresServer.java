package io.jemq.auth.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A throw-away PostgreSQL 15 server ({@code initdb} and {@code postgres} from the Debian package, run as the
 * {@code postgres} system user with {@code runuser}, since PostgreSQL refuses root), started once per test class: a
 * free port on 127.0.0.1, data and socket in a temporary folder, a database {@code mqtt} and a role {@code jemq} that
 * owns it (password auth over TCP). The server log, where refused statements appear as {@code ERROR:}, is read by
 * {@link #errors()}. Start it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class PostgresServer implements SqlServer {
    private static final String BIN = "/usr/lib/postgresql/15/bin/";
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private Process process;
    private List<String> tlsOptions = List.of();

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static PostgresServer start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("jemq-postgres");
            Files.writeString(dir.resolve("pwfile"), "admin\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(dir, Processes.freePort());
        // a test JVM that ends without @AfterAll (interrupted, timed out) must not leave a server running
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop " + server));
        try {
            Processes.run(dir.resolve("chown.log"), START, "chown", "-R", "postgres:postgres", dir.toString());
            Processes.run(dir.resolve("initdb.log"), START, "runuser", "-u", "postgres", "--", BIN + "initdb",
                    "-D", dir.resolve("data").toString(), "-U", "postgres", "--pwfile=" + dir.resolve("pwfile"),
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8");
            server.launch();
            server.admin("postgres", "CREATE ROLE jemq LOGIN PASSWORD 'secret'", "CREATE DATABASE mqtt OWNER jemq");
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public void restart() {
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "postgres", "--",
                BIN + "postgres", "-D", dir.resolve("data").toString(), "-p", Integer.toString(port),
                "-k", dir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "shared_buffers=16MB", "-c", "max_connections=60"));
        command.addAll(tlsOptions);
        process = Processes.start(dir.resolve("server.log"), command);
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("postgres ended: " + Processes.read(dir.resolve("server.log")));
                }
                try (Connection c = DriverManager.getConnection(url("postgres"))) {
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("postgres did not start: " + Processes.read(dir.resolve("server.log")), e);
        }
    }

    @Override
    public void enableTls(Path certFile, Path keyFile) {
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        try {
            Files.copy(certFile, cert, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(keyFile, key, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Processes.run(dir.resolve("chown.log"), START, "chown", "postgres:postgres", cert.toString(), key.toString());
        tlsOptions = List.of("-c", "ssl=on", "-c", "ssl_cert_file=" + cert, "-c", "ssl_key_file=" + key);
        stop();
        launch();
    }

    /** A fast shutdown (SIGINT to the postmaster): every client is disconnected at once. */
    @Override
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        String pid = Processes.read(dir.resolve("data/postmaster.pid")).lines().findFirst().orElse("").strip();
        if (!pid.isEmpty()) {
            Processes.run(dir.resolve("kill.log"), START, "kill", "-INT", pid);
        } else {
            process.destroy();
        }
        Processes.waitFor(process, START);
    }

    private void admin(String database, String... statements) {
        try (Connection c = DriverManager.getConnection(url(database)); var st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres&password=admin"
                + "&connectTimeout=1";
    }

    /** As {@code jemq}, the database's owner, so the tables the tests make are its own. */
    @Override
    public String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/mqtt?user=jemq&password=secret&connectTimeout=1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return "jemq";
    }

    @Override
    public String password() {
        return "secret";
    }

    @Override
    public List<String> errors() {
        return Processes.read(dir.resolve("server.log")).lines().filter(l -> l.contains("ERROR:")).toList();
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            Processes.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL";
    }
}
