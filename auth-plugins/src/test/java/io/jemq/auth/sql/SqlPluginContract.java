package io.jemq.auth.sql;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.auth.servers.SqlServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import io.jemq.testkit.TestPki;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * emq_auth_mysql and emq_auth_pgsql with real MQTT clients against an embedded broker and a real server: one body,
 * run once per backend by its subclass, which starts the server once for all these tests. Each test starts its own
 * broker with the plugin configured as EMQ's documentation shows, changed where the test says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqlPluginContract {
    /** The seed's user: password "public" as sha256, the value EMQ's documentation inserts. */
    private static final String PUBLIC_SHA256 = "efa1f375d76194fa51a3556a97e641e61685f914d446979da50a551a4333ffd7";

    final SqlBackendFixture backend;
    SqlServer server;

    SqlPluginContract(SqlBackendFixture backend) {
        this.backend = backend;
    }

    @BeforeAll
    void startServer() {
        server = backend.startServer();
        server.execute(backend.schema());
        server.execute(SqlBackendFixture.ACL_ROWS);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void seedUsers() {
        SqlBackendFixture.user(server, "test", PUBLIC_SHA256, null, null);
        SqlBackendFixture.user(server, "dashboard", PUBLIC_SHA256, null, null);
    }

    Map<String, String> conf() {
        return backend.conf(server);
    }

    @Test
    void theSeedsUserConnectsWithItsPasswordOnly() throws Exception {
        try (EmbeddedBroker b = backend.broker(conf()).start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isZero();
            assertThat(Clients.connack5(b.port(), "c2", "test", "public")).isZero();
            assertThat(Clients.connack3(b.port(), "c3", "test", "wrong")).isEqualTo(4);
            assertThat(Clients.connack5(b.port(), "c4", "test", "wrong")).isEqualTo(0x86);
            assertThat(Clients.connack3(b.port(), "c5", "test", null)).isEqualTo(4);
            MqttClient paho = Mqtt.paho(b.port(), "paho", "test", "public");
            assertThat(paho.isConnected()).isTrue();
            paho.disconnect();
            assertThatThrownBy(() -> Mqtt.paho(b.port(), "paho2", "test", "nope"))
                    .isInstanceOfSatisfying(MqttSecurityException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        }
    }

    @Test
    void theShippedConfWorksWithTheSeedsTables() throws Exception {
        String p = backend.prefix();
        String shipped = Files.readString(Path.of("../etc/plugins/" + backend.plugin() + ".conf"))
                .replaceAll("(?m)^" + Pattern.quote(p) + "\\.server = .*$", p + ".server = 127.0.0.1:" + server.port())
                .replaceAll("(?m)^(#+ ?)?" + Pattern.quote(p) + "\\.username =.*$", p + ".username = " + server.user())
                .replaceAll("(?m)^(#+ ?)?" + Pattern.quote(p) + "\\.password =.*$",
                        p + ".password = " + server.password());
        assertThat(shipped).contains(p + ".server = 127.0.0.1:" + server.port(), p + ".username = " + server.user(),
                p + ".password = " + server.password());
        EmbeddedBroker.Builder builder = EmbeddedBroker.builder().pluginConf(backend.plugin(), shipped)
                .loaded(backend.plugin()).set("mqtt.allow_anonymous", "false");
        try (EmbeddedBroker b = builder.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "test", "wrong")).isEqualTo(4);
            Mqtt5BlockingClient c = Clients.connect5(b.port(), "c3", "test", "public");
            assertThat(Mqtt.suback(c, "#")).isEqualTo(0x87);
            assertThat(Mqtt.suback(c, "a/#")).isEqualTo(1);
            c.disconnect();
        }
    }

    @Test
    void anUnknownUserGoesToTheNextPluginThenToAnonymous() {
        // loaded last, so asked first: the SQL plugin, then emq_auth_username
        EmbeddedBroker.Builder builder = backend.broker(conf())
                .pluginConf("emq_auth_username", "auth.user.1.username = bob\nauth.user.1.password = builder\n")
                .loaded("emq_auth_username", backend.plugin());
        try (EmbeddedBroker b = builder.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "bob", "builder")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "nobody", "x")).isEqualTo(5);
            assertThat(Clients.connack5(b.port(), "c3", "nobody", "x")).isEqualTo(0x87);
            assertThat(Clients.connack3(b.port(), "c4", null, null)).isEqualTo(5);
        }
        try (EmbeddedBroker b = backend.broker(conf()).set("mqtt.allow_anonymous", "true").start()) {
            assertThat(Clients.connack3(b.port(), "c5", "nobody", "x")).isZero();
            assertThat(Clients.connack3(b.port(), "c6", null, null)).isZero();
            assertThat(Clients.connack3(b.port(), "c7", "test", "wrong")).isEqualTo(4);
        }
    }

    /** Vectors made with openssl, python3 hashlib and htpasswd -B (the api's password-vectors.tsv). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "plain                 | public   | -      | public",
        "md5                   | public   | -      | 4c9184f37cff01bcdc32dc486ec36961",
        "sha                   | public   | -      | 61c9b2b17db77a27841bbeeabff923448b0f6388",
        "sha256                | public   | -      | efa1f375d76194fa51a3556a97e641e61685f914d446979da50a551a4333ffd7",
        "sha512                | public   | -      | d32997e9747b65a3ecf65b82533a4c843c4e16dd30cf371e8c81ab60a341de0005"
            + "1da422d41ff29c55695f233a1e06fac8b79aeb0a4d91ae5d3d18c8e09b8c73",
        "salt,md5              | public   | salt42 | 394394f0d5262d966bcea0aa91212803",
        "md5,salt              | public   | salt42 | d9c0c3591c1e43d0e098b96472eddc10",
        "salt,sha              | public   | salt42 | ab87027f9a6892a06cf342671127d3206addd970",
        "sha,salt              | public   | salt42 | cec12e02337800dba145d617f8ba173979762337",
        "salt,sha256           | public   | salt42 | 1544c4f4ae75c83520d7fb2d6900b32130397372c0c041be83d27e258dcab1d2",
        "sha256,salt           | public   | salt42 | 04601c350ec77452a27519fc7e6c6030cf7bc92c1621db49bf440e8ce02b8666",
        "salt sha256           | secret   | ab     | 5e2f50912695cd3757c0f49ded31c51568f790c04ec82ade18df999a40464bf3",
        "sha256 salt           | secret   | ab     | c37ced7a27091b7a448aabe72f377920c00fbe0d0e004231b0b6d2c19fdd1741",
        "pbkdf2,sha256,1000,20 | public   | salt   | 5a21f11c597da1447641c0a5ba58b856a76f1084",
        "pbkdf2,sha,4096,20    | password | salt   | 4b007901b765489abead49d926f721d065a429c1",
        "pbkdf2,md5,10,16      | public   | s      | eed59c508ad2209b71486eac5643dd10",
        "bcrypt                | public   | -      | $2y$05$.If7BxJ.UCBrKQeeT434ouCwjuKzwqHCn2nnOqY32BsyT/eRRJqke",
        "salt,bcrypt           | public   | $2y$04$RT1L2vZGuNg.yK/5CUpXve "
            + "| $2y$04$RT1L2vZGuNg.yK/5CUpXvett//sfjH8AkzI.xTI9z0C5X5Mf5lU5y",
    })
    void everyPasswordHashForm(String hash, String password, String salt, String stored) {
        SqlBackendFixture.user(server, "hashed", stored, salt, null);
        Map<String, String> conf = conf();
        conf.put("password_hash", hash);
        conf.put("auth_query", salt == null ? "select password from mqtt_user where username = '%u' limit 1"
                : "select password, salt from mqtt_user where username = '%u' limit 1");
        try (EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "right", "hashed", password)).isZero();
            assertThat(Clients.connack5(b.port(), "wrong", "hashed", password + "x")).isEqualTo(0x86);
        }
    }

    @Test
    void emq20sSeparatePbkdf2KeysWork() {
        SqlBackendFixture.user(server, "hashed", "4b007901b765489abead49d926f721d065a429c1", "salt", null);
        Map<String, String> conf = conf();
        conf.put("password_hash", "pbkdf2");
        conf.put("pbkdf2_macfun", "sha");
        conf.put("pbkdf2_iterations", "4096");
        conf.put("pbkdf2_dklen", "20");
        conf.put("auth_query", "select password, salt from mqtt_user where username = '%u' limit 1");
        try (EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "right", "hashed", "password")).isZero();
            assertThat(Clients.connack3(b.port(), "wrong", "hashed", "passwordx")).isEqualTo(4);
        }
    }

    @Test
    void theSuperuserSkipsTheAclOthersDoNot() {
        SqlBackendFixture.user(server, "root", PUBLIC_SHA256, null, backend.superuserTrue());
        SqlBackendFixture.user(server, "plain", PUBLIC_SHA256, null, backend.superuserFalse());
        SqlBackendFixture.user(server, "unset", PUBLIC_SHA256, null, null);
        try (EmbeddedBroker b = backend.broker(conf()).start()) {
            // row 3 of the seed denies everyone a subscription to # itself
            Mqtt5BlockingClient root = Clients.connect5(b.port(), "r", "root", "public");
            assertThat(Mqtt.suback(root, "#")).isEqualTo(1);
            root.disconnect();
            for (String user : List.of("plain", "unset")) {
                Mqtt5BlockingClient c = Clients.connect5(b.port(), user, user, "public");
                assertThat(Mqtt.suback(c, "#")).as(user).isEqualTo(0x87);
                c.disconnect();
            }
        }
        Map<String, String> noSuper = conf();
        noSuper.remove("super_query");
        try (EmbeddedBroker b = backend.broker(noSuper).start()) {
            Mqtt5BlockingClient root = Clients.connect5(b.port(), "r", "root", "public");
            assertThat(Mqtt.suback(root, "#")).isEqualTo(0x87);
            root.disconnect();
        }
    }

    @Test
    void theSeedsAclRowsDecideLastRowFirst() throws Exception {
        // after the plugin, acl.conf: it allows subscribing to open/#, and nothing else matches (acl_nomatch = deny)
        EmbeddedBroker.Builder builder = backend.broker(conf()).set("mqtt.acl_nomatch", "deny")
                .acl("{allow, all, subscribe, [\"open/#\"]}.");
        try (EmbeddedBroker b = builder.start()) {
            MqttClient dashboard = Mqtt.paho(b.port(), "dash", "dashboard", "public");
            assertThat(Mqtt.granted(dashboard, "$SYS/brokers/+/uptime")).isEqualTo(1);     // row 6 before row 2
            assertThat(Mqtt.granted(dashboard, "#")).isEqualTo(0x80);                      // row 3: eq #
            dashboard.disconnect();
            MqttClient test = Mqtt.paho(b.port(), "t", "test", "public");
            assertThat(Mqtt.granted(test, "$SYS/#")).isEqualTo(0x80);                       // row 2
            assertThat(Mqtt.granted(test, "open/a")).isEqualTo(1);      // no row about it: acl.conf decides
            assertThat(Mqtt.granted(test, "closed/a")).isEqualTo(0x80);         // nobody decides: acl_nomatch
            test.disconnect();
            Mqtt5BlockingClient c = Clients.connect5(b.port(), "t5", "test", "public");
            assertThat(Mqtt.puback(c, "any/topic")).isZero();                                 // row 1 (and 5)
            c.disconnect();
        }
    }

    @Test
    void aclRowsForUsersClientIdsAndAddresses() {
        server.execute("INSERT INTO mqtt_acl (id, allow, ipaddr, username, clientid, access, topic) VALUES "
                + "(10, 1, NULL, 'alice', NULL, 3, 'home/%u/#'), "
                + "(11, 0, NULL, 'alice', NULL, 2, 'home/alice/locked'), "
                + "(12, 1, NULL, NULL, 'dev-7', 1, 'devices/%c/cmd'), "
                + "(13, 0, '127.0.0.0/8', 'carol', NULL, 2, 'lan/#'), "
                + "(14, 0, '10.0.0.0/8', 'alice', NULL, 2, 'lan/#'), "
                + "(15, 0, NULL, 'carol', 'other-id', 2, 'pair/#')");
        SqlBackendFixture.user(server, "alice", PUBLIC_SHA256, null, null);
        SqlBackendFixture.user(server, "carol", PUBLIC_SHA256, null, null);
        try (EmbeddedBroker b = backend.broker(conf()).set("mqtt.acl_nomatch", "deny").start()) {
            Mqtt5BlockingClient alice = Clients.connect5(b.port(), "dev-7", "alice", "public");
            assertThat(Mqtt.suback(alice, "home/alice/+")).isEqualTo(1);            // %u as a whole level
            assertThat(Mqtt.suback(alice, "home/bob/#")).isEqualTo(0x87);
            assertThat(Mqtt.suback(alice, "devices/dev-7/cmd")).isEqualTo(1);       // %c, by client id
            assertThat(Mqtt.suback(alice, "devices/dev-8/cmd")).isEqualTo(0x87);
            assertThat(Mqtt.puback(alice, "home/alice/locked")).isEqualTo(0x87);    // a later row overrides
            assertThat(Mqtt.puback(alice, "home/alice/open/x")).isZero();
            assertThat(Mqtt.puback(alice, "lan/x")).isZero();                       // her row is for 10/8
            alice.disconnect();
            Mqtt5BlockingClient carol = Clients.connect5(b.port(), "carol-1", "carol", "public");
            assertThat(Mqtt.puback(carol, "lan/x")).isEqualTo(0x87);                // username and 127/8
            assertThat(Mqtt.puback(carol, "pair/x")).isZero();           // username and client id: not her id
            carol.disconnect();
        } finally {
            server.execute("DELETE FROM mqtt_acl WHERE id > 6");
        }
    }

    @Test
    void unquotedPlaceholdersAreBoundToo() {
        List<String> errors = server.errors();
        Map<String, String> conf = conf();
        conf.put("auth_query", "select password from mqtt_user where username = %u limit 1");
        try (EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "test", "wrong")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c3", "x' OR '1'='1", "public")).isEqualTo(5);
        }
        assertThat(server.errors()).isEqualTo(errors);
    }

    @Test
    void hostileUsernamesAndClientIdsAreJustValues() {
        List<List<String>> users = server.rows("SELECT * FROM mqtt_user ORDER BY id");
        List<List<String>> acl = server.rows("SELECT * FROM mqtt_acl ORDER BY id");
        List<String> errors = server.errors();
        List<String> hostile = List.of("x' OR '1'='1", "admin'-- ", "a b", "%u", "'; DROP TABLE mqtt_user; --",
                "\\' OR 1=1 #", "q".repeat(65_535 - 4) + "' --");
        try (EmbeddedBroker b = backend.broker(conf()).set("mqtt.max_clientid_len", "65535")
                .set("mqtt.max_packet_size", "1MB").start()) {
            for (String value : hostile) {
                String shown = value.length() > 40 ? "a 64 KiB string" : value;
                assertThat(Clients.connack3(b.port(), "h", value, value)).as(shown).isEqualTo(5);   // no row
                assertThat(Clients.connack3(b.port(), "h", value, "public")).as(shown).isEqualTo(5);
                // the seed's user with a hostile client id: the ACL query binds %c too
                Mqtt5BlockingClient c = Clients.connect5(b.port(), value, "test", "public");
                assertThat(Mqtt.suback(c, "#")).as(shown).isEqualTo(0x87);
                assertThat(Mqtt.puback(c, "t/1")).as(shown).isZero();
                c.disconnect();
            }
        }
        assertThat(server.rows("SELECT * FROM mqtt_user ORDER BY id")).isEqualTo(users);
        assertThat(server.rows("SELECT * FROM mqtt_acl ORDER BY id")).isEqualTo(acl);
        assertThat(server.errors()).as("statements the server refused").isEqualTo(errors);
    }

    @Test
    void aBrokenQueryIsOneClearErrorNamingTheKey() {
        Map<String, String> conf = conf();
        conf.put("auth_query", "select passwd from mqtt_user where username = '%u' limit 1");
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isEqualTo(3);
            assertThat(Clients.connack5(b.port(), "c2", "test", "public")).isEqualTo(0x88);
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(backend.plugin(), backend.prefix() + ".auth_query failed", "passwd");
        }
        Map<String, String> unsalted = conf();
        unsalted.put("password_hash", "salt,sha256");
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(unsalted).start()) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isEqualTo(3);
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(backend.prefix() + ".auth_query", "password, salt");
        }
    }

    @Test
    void aSlowServerIsUnavailableWithinTheQueryTimeout() {
        Map<String, String> conf = conf();
        conf.put("auth_query", backend.slowAuthQuery());
        conf.put("query_timeout", "1s");
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(conf).start()) {
            long start = System.nanoTime();
            assertThat(Clients.connack3(b.port(), "c1", "test", "public")).isEqualTo(3);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
            assertThat(log.messages(Level.WARN)).singleElement().asString()
                    .contains(backend.plugin(), backend.prefix() + ".query_timeout");
        }
    }

    @Test
    void tlsToTheServerVerifiesItsCertificate(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki(dir, "db");
        Files.createDirectories(dir.resolve("other"));
        TestPki stranger = new TestPki(dir.resolve("other"), "stranger");
        server.enableTls(pki.server.certFile(), pki.server.keyFile());
        Map<String, String> conf = conf();
        conf.put("auth_query", backend.tlsOnlyAuthQuery());
        try (EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "plain", "test", "public")).as("without TLS: no row").isEqualTo(5);
        }
        backend.tls(conf, pki.ca.certFile().toString());
        try (EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "tls", "test", "public")).isZero();
            assertThat(Clients.connack3(b.port(), "tls", "test", "wrong")).isEqualTo(4);
        }
        backend.tls(conf, stranger.ca.certFile().toString());
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = backend.broker(conf).start()) {
            assertThat(Clients.connack3(b.port(), "tls", "test", "public")).as("a server we cannot verify")
                    .isEqualTo(3);
            assertThat(log.messages(Level.WARN)).singleElement().asString().contains("cannot reach");
        }
    }

    @Test
    void aWrongSettingFailsTheLoadNamingFileLineAndKey() {
        Map<String, String> conf = conf();
        conf.put("server", "127.0.0.1:lots");
        assertThatThrownBy(() -> backend.broker(conf).start().close())
                .hasMessageContaining(backend.plugin() + ".conf:1: " + backend.prefix() + ".server");
        Map<String, String> query = conf();
        query.put("auth_query", "select password from mqtt_user where username = 'user:%u'");
        assertThatThrownBy(() -> backend.broker(query).start().close())
                .hasMessageContaining(backend.prefix() + ".auth_query");
    }
}
