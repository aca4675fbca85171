package io.jemq.auth.ldap;

import io.jemq.auth.servers.SlapdServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.TestPki;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.servers.SlapdServer.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The user guide's design, {@code auth.ldap.user_dn = uid=%u,ou=People,dc=example,dc=com}, against a real slapd whose
 * users' {@code userPassword} values slapd made itself in several schemes; real MQTT clients (HiveMQ, Paho) connect.
 */
class LdapBindAsUserIT {
    private static final String PEOPLE = "ou=People," + SlapdServer.SUFFIX;

    @TempDir
    static Path pkiDir;
    private static TestPki pki;
    private static SlapdServer slapd;

    @BeforeAll
    static void startDirectory() {
        pki = new TestPki(pkiDir, "ldap");
        TestPki.Issued serverCert = pki.rsaServerWithPkcs1Key();      // GnuTLS (slapd's) reads PKCS#1 RSA keys
        slapd = SlapdServer.start(person("alice", SlapdServer.hash("{SSHA}", "wonderland"))
                + person("bob", SlapdServer.hash("{SHA}", "builder"))
                + person("carol", SlapdServer.hash("{SMD5}", "carol-pw"))
                + person("dave", SlapdServer.hash("{CRYPT}", "dave-pw"))
                + person("erin", "erin-pw")
                + person("admin", SlapdServer.hash("{SSHA}", "admin-pw"))
                + entry("uid=a\\,b\\=c," + PEOPLE, "objectClass: inetOrgPerson", "uid: a,b=c", "cn: odd", "sn: odd",
                "userPassword: odd-pw"), serverCert.certFile(), serverCert.keyFile());
    }

    @AfterAll
    static void stopDirectory() {
        if (slapd != null) {
            slapd.close();
        }
    }

    static String person(String uid, String userPassword) {
        return entry("uid=" + uid + "," + PEOPLE, "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid,
                "sn: " + uid, "userPassword: " + userPassword);
    }

    /** The seed's keys, servers and port filled in. */
    private static String seedConf(String... more) {
        return """
                auth.ldap.servers = 127.0.0.1
                auth.ldap.port = %d
                auth.ldap.timeout = 3s
                auth.ldap.user_dn = uid=%%u,ou=People,dc=example,dc=com
                auth.ldap.ssl = false
                auth.ldap.pool = 2
                """.formatted(slapd.port()) + String.join("\n", more) + "\n";
    }

    private static EmbeddedBroker broker(boolean allowAnonymous, String conf) {
        return EmbeddedBroker.builder().set("mqtt.allow_anonymous", Boolean.toString(allowAnonymous))
                .pluginConf("emq_auth_ldap", conf).loaded("emq_auth_ldap").start();
    }

    @Test
    void theShippedConfigWorksWithItsServerFilledIn() throws IOException {
        String shipped = Files.readString(Path.of("../etc/plugins/emq_auth_ldap.conf"));
        assertThat(shipped).contains("auth.ldap.port = 389\n");
        try (EmbeddedBroker b = broker(false, shipped.replace("auth.ldap.port = 389\n",
                "auth.ldap.port = " + slapd.port() + "\n"))) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "guess")).isEqualTo(4);
        }
    }

    @Test
    void everyPasswordSchemeSlapdMadeLetsItsUserIn() {
        try (EmbeddedBroker b = broker(false, seedConf())) {
            Map<String, String> users = Map.of("alice", "wonderland", "bob", "builder", "carol", "carol-pw",
                    "dave", "dave-pw", "erin", "erin-pw");
            users.forEach((user, password) -> {
                assertThat(Clients.connack3(b.port(), "c-" + user, user, password)).as(user).isZero();
            });
            assertThat(Clients.connack5(b.port(), "c5", "alice", "wonderland")).isZero();
            assertThat(b.broker().plugins().metrics("emq_auth_ldap")).containsEntry("auth/success", 6L);
        }
    }

    @Test
    void aWrongOrMissingPasswordIsRefusedAsBadCredentials() {
        try (EmbeddedBroker b = broker(true, seedConf())) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "guess")).isEqualTo(4);
            assertThat(Clients.connack5(b.port(), "c2", "alice", "guess")).isEqualTo(0x86);
            // an empty password would be an anonymous bind, which slapd accepts: it is never sent
            assertThat(Clients.connack3(b.port(), "c3", "alice", "")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c4", "alice", null)).isEqualTo(4);
        }
    }

    @Test
    void withoutAServiceAccountAnUnknownUserIsDeniedSinceTheDirectoryCannotTellItFromAWrongPassword() {
        try (EmbeddedBroker b = broker(true, seedConf())) {
            assertThat(Clients.connack3(b.port(), "c1", "mallory", "x")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c2", null, null)).isZero();       // no username: anonymous
        }
    }

    @Test
    void withAServiceAccountAnUnknownUserGoesToTheNextSourceThenAnonymous() {
        String conf = seedConf("auth.ldap.bind_dn = " + SlapdServer.READER_DN,
                "auth.ldap.bind_password = " + SlapdServer.READER_PASSWORD);
        try (EmbeddedBroker b = broker(true, conf)) {
            assertThat(Clients.connack3(b.port(), "c1", "mallory", "x")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "guess")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c3", "alice", "wonderland")).isZero();
        }
        try (EmbeddedBroker b = broker(false, conf)) {
            assertThat(Clients.connack3(b.port(), "c1", "mallory", "x")).isEqualTo(5);
            assertThat(Clients.connack5(b.port(), "c2", "mallory", "x")).isEqualTo(0x87);
        }
    }

    @Test
    void pahoConnectsWithTheRightPasswordAndIsRefusedWithAWrongOne() throws MqttException {
        try (EmbeddedBroker b = broker(false, seedConf())) {
            MqttClient paho = new MqttClient("tcp://127.0.0.1:" + b.port(), "paho-1", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName("bob");
            options.setPassword("builder".toCharArray());
            paho.connect(options);
            assertThat(paho.isConnected()).isTrue();
            paho.disconnect();

            options.setPassword("nope".toCharArray());
            assertThatThrownBy(() -> paho.connect(options)).isInstanceOfSatisfying(MqttException.class,
                    e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
            paho.close();
        }
    }

    /**
     * A name is compared as the directory compares {@code uid} values: {@code ADMIN} and {@code " admin"} name the user
     * admin (case and insignificant spaces, RFC 4518), as they would for any LDAP client; nothing here does that.
     */
    @Test
    void hostileUsernamesAreOneEscapedDnValueAndLetNobodyIn() {
        List<String> names = List.of("*)(uid=*", "admin)(|(uid=*", "admin,ou=People", "x' OR '1'='1", "%u",
                "admin\\", "#admin", "a".repeat(65_000));
        try (EmbeddedBroker b = broker(false, seedConf())) {
            for (String name : names) {
                for (String password : List.of("admin-pw", "odd-pw", "x")) {
                    assertThat(Clients.connack3(b.port(), "inj", name, password))
                            .as("%.40s / %s", name, password).isIn(4, 5);
                }
            }
            // the one odd user whose name has DN syntax in it is found as itself, with its own password only
            assertThat(Clients.connack3(b.port(), "odd", "a,b=c", "odd-pw")).isZero();
            assertThat(Clients.connack3(b.port(), "odd", "a,b=c", "admin-pw")).isEqualTo(4);
            assertThat(slapd.log()).anyMatch(l -> l.contains("BIND dn=\"uid=admin\\2Cou\\3DPeople,ou=People,"
                    + SlapdServer.SUFFIX + "\""));
            assertThat(slapd.log()).noneMatch(l -> l.contains("BIND dn=\"uid=admin,ou=People,ou=People"));
        }
    }

    @Test
    void aServerThatIsDownIsSkippedForTheNextInTheList() {
        String conf = seedConf().replace("auth.ldap.servers = 127.0.0.1",
                "auth.ldap.servers = 127.0.0.1:" + SlapdServer.freePort() + ",127.0.0.1:" + slapd.port());
        try (EmbeddedBroker b = broker(false, conf)) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "guess")).isEqualTo(4);
        }
    }

    @Test
    void ldapsWithTheServersCaWorksAndAnUntrustedServerIsUnavailable(@TempDir Path other) {
        String conf = seedConf("auth.ldap.ssl.cacertfile = " + pki.ca.certFile()).replace("auth.ldap.ssl = false",
                "auth.ldap.ssl = true").replace("auth.ldap.port = " + slapd.port(), "auth.ldap.port = "
                + slapd.tlsPort());
        try (EmbeddedBroker b = broker(false, conf)) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "guess")).isEqualTo(4);
        }
        TestPki stranger = new TestPki(other, "stranger");
        try (EmbeddedBroker b = broker(false, conf.replace(pki.ca.certFile().toString(),
                stranger.ca.certFile().toString()))) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isEqualTo(3);
        }
    }
}
