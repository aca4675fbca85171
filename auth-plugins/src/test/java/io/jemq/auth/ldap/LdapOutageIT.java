package io.jemq.auth.ldap;

import ch.qos.logback.classic.Level;
import io.jemq.auth.servers.SlapdServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client meets when the directory is down, goes down, is slow, or the plugin's config is wrong: "server
 * unavailable" (never let in, even with anonymous clients allowed), one log line per outage, and logins again within
 * seconds of the server's return without a broker restart. A broken setting fails the load naming file, line and key.
 */
class LdapOutageIT {
    private static SlapdServer slapd;

    @BeforeAll
    static void startDirectory() {
        slapd = SlapdServer.start(LdapBindAsUserIT.person("alice", SlapdServer.hash("{SSHA}", "wonderland")));
    }

    @AfterAll
    static void stopDirectory() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static String conf(int port) {
        return """
                auth.ldap.servers = 127.0.0.1
                auth.ldap.port = %d
                auth.ldap.timeout = 2s
                auth.ldap.user_dn = uid=%%u,ou=People,dc=example,dc=com
                auth.ldap.pool = 2
                """.formatted(port);
    }

    private static EmbeddedBroker broker(String conf) {
        // anonymous clients are welcome: an outage must still never let anyone in
        return EmbeddedBroker.builder().set("mqtt.allow_anonymous", "true")
                .pluginConf("emq_auth_ldap", conf).loaded("emq_auth_ldap").start();
    }

    private static void awaitLogin(EmbeddedBroker b) {
        Awaitility.await("logins work again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Clients.connack3(b.port(), "back", "alice", "wonderland") == 0);
    }

    @Test
    void aDirectoryDownAtStartDoesNotStopTheLoadAndIsUsedOnceItIsUp() {
        slapd.stop();
        try (EmbeddedBroker b = broker(conf(slapd.port()))) {
            assertThat(b.broker().plugins().metrics("emq_auth_ldap")).isNotNull();
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isEqualTo(3);
            assertThat(Clients.connack5(b.port(), "c2", "alice", "wonderland")).isEqualTo(0x88);

            slapd.start();
            awaitLogin(b);
            assertThat(Clients.connack3(b.port(), "c3", "alice", "guess")).isEqualTo(4);
        } finally {
            slapd.start();
        }
    }

    @Test
    void aDirectoryLostMidRunRefusesAsUnavailableLogsOnceAndRecoversWithoutARestart() {
        try (EmbeddedBroker b = broker(conf(slapd.port()));
             LogCapture log = new LogCapture("io.jemq.access")) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();

            slapd.stop();
            for (int i = 0; i < 3; i++) {
                assertThat(Clients.connack3(b.port(), "c" + i, "alice", "wonderland")).isEqualTo(3);
            }
            assertThat(Clients.connack3(b.port(), "anon", null, null)).isZero();   // no username: not LDAP's

            slapd.start();
            awaitLogin(b);
            assertThat(log.messages(Level.WARN)).filteredOn(m -> m.contains("emq_auth_ldap is unavailable"))
                    .singleElement().asString().contains("ldap 127.0.0.1:" + slapd.port());
            assertThat(log.messages(Level.INFO)).filteredOn(m -> m.contains("emq_auth_ldap answers again"))
                    .hasSize(1);
            assertThat(log.withStackTraceAtInfoOrAbove()).isEmpty();
        } finally {
            slapd.start();
        }
    }

    @Test
    void aRestartBetweenTwoLoginsGoesUnnoticedSinceDeadPooledConnectionsAreReplaced() {
        try (EmbeddedBroker b = broker(conf(slapd.port()))) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            slapd.stop();
            slapd.start();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "wonderland")).isZero();
        } finally {
            slapd.start();
        }
    }

    @Test
    void theNextServerInTheListTakesOverWhenTheFirstIsLostMidRun() {
        try (SlapdServer second = SlapdServer.start(LdapBindAsUserIT.person("alice",
                SlapdServer.hash("{SSHA}", "wonderland")));
             EmbeddedBroker b = broker(conf(slapd.port()).replace("auth.ldap.servers = 127.0.0.1",
                     "auth.ldap.servers = 127.0.0.1:" + slapd.port() + ",127.0.0.1:" + second.port()))) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(slapd.log()).anyMatch(l -> l.contains("BIND dn=\"uid=alice,ou=People"));
            assertThat(second.log()).noneMatch(l -> l.contains("BIND dn="));

            slapd.stop();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "wonderland")).isZero();
            assertThat(Clients.connack3(b.port(), "c3", "alice", "guess")).isEqualTo(4);
            assertThat(second.log()).anyMatch(l -> l.contains("BIND dn=\"uid=alice,ou=People"));
        } finally {
            slapd.start();
        }
    }

    @Test
    void aServerThatNeverAnswersIsUnavailableWithinTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             EmbeddedBroker b = broker(conf(silent.getLocalPort()).replace("timeout = 2s", "timeout = 500ms"))) {
            long start = System.nanoTime();
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isEqualTo(3);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aBrokenSettingFailsTheLoadNamingFileLineAndKey() {
        EmbeddedBroker.Builder f = EmbeddedBroker.builder().controlSocket();
        Map<String, String> broken = Map.of(
                "auth.ldap.user_dn = uid=%u,,ou=People\n", "emq_auth_ldap.conf:3: auth.ldap.user_dn: expected a DN",
                "auth.ldap.auth_dn = ou=People\nauth.ldap.filter = (uid=%u\n",
                "emq_auth_ldap.conf:4: auth.ldap.filter: expected an LDAP search filter",
                "auth.ldap.user_dn = uid=%t\n",
                "emq_auth_ldap.conf:3: auth.ldap.user_dn: expected placeholders among %u %c %a %m %C %d",
                "auth.ldap.auth_dn = ou=People\nauth.ldap.password_hash = salt,sha256\n",
                "emq_auth_ldap.conf:4: auth.ldap.password_hash: expected plain, md5, sha, sha256",
                "auth.ldap.user_dn = uid=%u\nauth.ldap.auth_dn = ou=People\n", "auth.ldap.auth_dn: expected either",
                "auth.ldap.user_dn = uid=%u\nauth.ldap.ssl = true\nauth.ldap.ssl.cacertfile = /nonexistent/ca.pem\n",
                "emq_auth_ldap.conf:5: auth.ldap.ssl.cacertfile: expected a readable file",
                "auth.ldap.pool = 2\n", "emq_auth_ldap: set auth.ldap.user_dn",
                "auth.ldap.user_dn = uid=admin,ou=People\n",
                "emq_auth_ldap.conf:3: auth.ldap.user_dn: expected a DN template naming the client");
        try (EmbeddedBroker b = f.start()) {
            broken.forEach((lines, error) -> {
                f.pluginConf("emq_auth_ldap", "auth.ldap.servers = 127.0.0.1\nauth.ldap.port = 389\n" + lines);
                var reply = f.ctl("plugins", "load", "emq_auth_ldap");
                assertThat(reply.code()).as(lines).isEqualTo(1);
                assertThat(reply.output()).as(lines).contains(error);
            });
            f.pluginConf("emq_auth_ldap", "auth.ldap.servers = \nauth.ldap.user_dn = uid=%u,ou=People\n");
            assertThat(f.ctl("plugins", "load", "emq_auth_ldap").output())
                    .contains("emq_auth_ldap.conf:1: auth.ldap.servers: expected the LDAP servers");

            f.pluginConf("emq_auth_ldap", conf(slapd.port()));
            assertThat(f.ctl("plugins", "load", "emq_auth_ldap").code()).isZero();
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().contains("emq_auth_ldap"));
            assertThat(f.ctl("plugins", "unload", "emq_auth_ldap").code()).isZero();
            // the pools' health-check threads and the plugin's executor go with it
            Awaitility.await("the plugin's threads end").atMost(Duration.ofSeconds(10)).until(() ->
                    Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains("emq_auth_ldap")));
        }
    }
}
