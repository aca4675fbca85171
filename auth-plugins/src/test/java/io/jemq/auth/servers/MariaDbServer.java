package io.jemq.auth.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A throw-away MariaDB server ({@code mariadb-install-db} and {@code mariadbd} from the Debian package), started
 * once per test class: a free port on 127.0.0.1, its data directory in a temporary folder, run as root with
 * {@code --user=root}, a database {@code mqtt} and an account {@code jemq} with all rights on it. Statements the
 * server refuses are logged by its {@code sql_errlog} plugin, which {@link #errors()} reads. Start it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class MariaDbServer implements SqlServer {
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private Process process;
    private List<String> tlsOptions = List.of();

    private MariaDbServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static MariaDbServer start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("jemq-mariadb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MariaDbServer server = new MariaDbServer(dir, Processes.freePort());
        // a test JVM that ends without @AfterAll (interrupted, timed out) must not leave a server running
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop " + server));
        try {
            Processes.run(dir.resolve("install.log"), START, "mariadb-install-db", "--no-defaults", "--user=root",
                    "--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal",
                    "--skip-test-db", "--skip-name-resolve", "--innodb-buffer-pool-size=16M",
                    "--innodb-log-file-size=4M");
            server.launch();
            server.admin("CREATE DATABASE mqtt", "CREATE USER 'jemq'@'%' IDENTIFIED BY 'secret'",
                    "GRANT ALL ON mqtt.* TO 'jemq'@'%'");
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
        List<String> command = new ArrayList<>(List.of("mariadbd", "--no-defaults", "--user=root",
                "--datadir=" + dir.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"), "--pid-file=" + dir.resolve("mysqld.pid"),
                "--skip-name-resolve", "--log-error=" + dir.resolve("error.log"), "--innodb-buffer-pool-size=16M",
                "--skip-log-bin", "--plugin-load-add=sql_errlog",
                "--sql-error-log-filename=" + dir.resolve("sql_errors.log")));
        command.addAll(tlsOptions);
        process = Processes.start(dir.resolve("server.log"), command);
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mariadbd ended: " + Processes.read(dir.resolve("error.log")));
                }
                try (Connection c = DriverManager.getConnection(rootUrl(""))) {
                    return true;
                } catch (SQLException e) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("mariadbd did not start: " + Processes.read(dir.resolve("error.log")), e);
        }
    }

    @Override
    public void enableTls(Path certFile, Path keyFile) {
        try {
            Files.copy(certFile, dir.resolve("server-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(keyFile, dir.resolve("server-key.pem"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tlsOptions = List.of("--ssl-cert=" + dir.resolve("server-cert.pem"), "--ssl-key=" + dir.resolve(
                "server-key.pem"));
        stop();
        launch();
    }

    @Override
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();                               // SIGTERM: a shutdown that drops every client
            Processes.waitFor(process, START);
        }
    }

    private void admin(String... statements) {
        try (Connection c = DriverManager.getConnection(rootUrl("")); var st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private String rootUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root&connectTimeout=1000";
    }

    @Override
    public String adminUrl() {
        return rootUrl("mqtt");
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
        return Processes.read(dir.resolve("sql_errors.log")).lines().filter(l -> !l.isBlank()).toList();
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
        return "MariaDB";
    }
}
