package io.jemq.auth.sql;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.auth.servers.SqlServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQL plugins when their server goes away and comes back, with real clients: refused with "server unavailable"
 * (never let in), ACL checks denied, the outage logged once, and logins working again within seconds of the server's
 * return without touching the broker. One body, run per backend by its subclass; the server is stopped and started
 * by the tests, so this class has a server of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlOutageContract {
    private static final String PUBLIC_SHA256 = "efa1f375d76194fa51a3556a97e641e61685f914d446979da50a551a4333ffd7";
    /** How soon logins must work again once the server is back. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    final SqlBackendFixture backend;
    SqlServer server;

    SqlOutageContract(SqlBackendFixture backend) {
        this.backend = backend;
    }

    @BeforeAll
    void startServer() {
        server = backend.startServer();
        server.execute(backend.schema());
        server.execute(SqlBackendFixture.ACL_ROWS);
        SqlBackendFixture.user(server, "test", PUBLIC_SHA256, null, null);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServerDownAtStartIsUnavailableUntilItComesThenWorks() {
        server.stop();
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(
                backend.conf(server)).start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isEqualTo(3);
            assertThat(Clients.connack5(b.port(), "c2", "test", "public")).isEqualTo(0x88);
            assertThat(Clients.connack3(b.port(), "c3", "test", "wrong")).isEqualTo(3);
            server.restart();
            long back = System.nanoTime();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                    .until(() -> Clients.connack3(b.port(), "c4", "test", "public") == 0);
            System.out.printf("%s: logins again %d ms after the server started%n", backend.plugin(),
                    (System.nanoTime() - back) / 1_000_000);
            assertThat(Clients.connack3(b.port(), "c5", "test", "wrong")).isEqualTo(4);
            assertThat(outages(log)).hasSize(1);
            assertThat(log.messages(Level.INFO)).filteredOn(m -> m.contains("answers again")).hasSize(1);
        } finally {
            ensureRunning();
        }
    }

    @Test
    void aServerLostMidRunRefusesDeniesLogsOnceAndComesBack() {
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(
                backend.conf(server)).start()) {
            Mqtt5BlockingClient online = Clients.connect5(b.port(), "online", "test", "public");
            assertThat(Mqtt.suback(online, "before/outage")).isEqualTo(1);
            server.stop();
            for (int i = 0; i < 3; i++) {
                assertThat(Clients.connack3(b.port(), "c" + i, "test", "public")).isEqualTo(3);
            }
            assertThat(Clients.connack5(b.port(), "c5", "test", "public")).isEqualTo(0x88);
            assertThat(Mqtt.suback(online, "during/outage")).isEqualTo(0x87);      // ACL: denied, not ignored
            assertThat(Mqtt.puback(online, "during/outage")).isEqualTo(0x87);
            assertThat(outages(log)).as("logged once per chain").hasSize(2)
                    .anyMatch(m -> m.startsWith("authentication")).anyMatch(m -> m.startsWith("ACL"));
            server.restart();
            long back = System.nanoTime();
            await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200))
                    .until(() -> Clients.connack3(b.port(), "again", "test", "public") == 0);
            System.out.printf("%s: logins again %d ms after the server started%n", backend.plugin(),
                    (System.nanoTime() - back) / 1_000_000);
            assertThat(Mqtt.suback(online, "during/outage")).isEqualTo(1);          // the deny was not cached
            online.disconnect();
        } finally {
            ensureRunning();
        }
    }

    private static List<String> outages(LogCapture log) {
        return log.messages(Level.WARN).stream().filter(m -> m.contains("unavailable")).toList();
    }

    private void ensureRunning() {
        try {
            server.execute("SELECT 1");
        } catch (IllegalStateException e) {
            server.restart();
        }
    }
}
