package io.jemq.auth.ldap;

import ch.qos.logback.classic.Level;
import io.jemq.api.PasswordHash;
import io.jemq.auth.servers.SlapdServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.servers.SlapdServer.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * EMQ 2.3's design: bind as a service account, search, compare the password attribute. First with EMQ's own data
 * model ({@code cn=%u,ou=auth}, attributes {@code username} and {@code password} holding a sha256 hex digest), then
 * with a {@code uid}/{@code userPassword} tree and {@code auth.ldap.filter}, every password form, against a real slapd.
 */
class LdapSearchIT {
    private static final String PEOPLE = "ou=People," + SlapdServer.SUFFIX;
    private static SlapdServer slapd;

    @BeforeAll
    static void startDirectory() {
        String bcrypt = PasswordHash.bcrypt("gina-pw".getBytes(StandardCharsets.UTF_8), 4);
        String sha256 = PasswordHash.parse("sha256").hash("hank-pw".getBytes(StandardCharsets.UTF_8), null);
        slapd = SlapdServer.start(
                // EMQ 2.3's emqtt.com.ldif, under this server's suffix: the sha256 of "123456"
                entry("cn=test,ou=auth," + SlapdServer.SUFFIX, "objectClass: mqttUser", "cn: test", "username: test",
                        "password: 8d969eef6ecad3c29a3a629280e686cf0c3f5d5a86aff3ca12020c923adc6c92")
                        + person("alice", SlapdServer.hash("{SSHA}", "wonderland"))
                        + person("bob", SlapdServer.hash("{SHA}", "builder"))
                        + person("carol", SlapdServer.hash("{SMD5}", "carol-pw"))
                        + person("frank", SlapdServer.hash("{MD5}", "frank-pw"))
                        + person("dave", SlapdServer.hash("{CRYPT}", "dave-pw"))
                        + person("erin", "{CLEARTEXT}erin-pw")
                        + person("gina", "{CRYPT}" + bcrypt)
                        + person("hank", sha256)
                        + person("admin", SlapdServer.hash("{SSHA}", "admin-pw"))
                        + person("twin", SlapdServer.hash("{SSHA}", "twin-pw"))
                        + entry("ou=more," + PEOPLE, "objectClass: organizationalUnit", "ou: more")
                        + entry("uid=twin,ou=more," + PEOPLE, "objectClass: inetOrgPerson", "uid: twin", "cn: twin",
                        "sn: twin", "userPassword: twin-pw"));
    }

    @AfterAll
    static void stopDirectory() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static String person(String uid, String userPassword) {
        return LdapBindAsUserIT.person(uid, userPassword);
    }

    /** EMQ 2.3's shipped keys, filled in for this server. */
    private static String emqConf(String... more) {
        return """
                auth.ldap.servers = 127.0.0.1
                auth.ldap.port = %d
                auth.ldap.bind_dn = %s
                auth.ldap.bind_password = %s
                auth.ldap.timeout = 3s
                auth.ldap.auth_dn = cn=%%u,ou=auth,dc=example,dc=com
                auth.ldap.password_hash = sha256
                auth.ldap.ssl = false
                auth.ldap.pool = 2
                """.formatted(slapd.port(), SlapdServer.READER_DN, SlapdServer.READER_PASSWORD)
                + String.join("\n", more) + "\n";
    }

    /** Searching the People tree by uid, comparing userPassword. */
    private static String peopleConf(String... more) {
        return emqConf(more).replace("auth.ldap.auth_dn = cn=%u,ou=auth,dc=example,dc=com",
                "auth.ldap.auth_dn = ou=People,dc=example,dc=com\nauth.ldap.filter = (&(objectClass=inetOrgPerson)"
                        + "(uid=%u))\nauth.ldap.password.attributetype = userPassword");
    }

    private static EmbeddedBroker broker(String conf) {
        return EmbeddedBroker.builder().set("mqtt.allow_anonymous", "false")
                .pluginConf("emq_auth_ldap", conf).loaded("emq_auth_ldap").start();
    }

    @Test
    void emqsOwnDataModelWorksAsShipped() {
        try (EmbeddedBroker b = broker(emqConf())) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "123456")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "test", "12345")).isEqualTo(4);
            assertThat(Clients.connack5(b.port(), "c3", "test", "12345")).isEqualTo(0x86);
            assertThat(Clients.connack3(b.port(), "c4", "test", null)).isEqualTo(4);
            // no entry at cn=nobody,ou=auth: not this directory's user, so anonymous decides (refused here)
            assertThat(Clients.connack3(b.port(), "c5", "nobody", "123456")).isEqualTo(5);
            assertThat(b.broker().plugins().metrics("emq_auth_ldap")).containsAllEntriesOf(Map.of(
                    "auth/success", 1L, "auth/failure", 3L, "auth/ignore", 1L));
        }
    }

    @Test
    void everyPasswordFormInUserPasswordIsChecked() {
        try (EmbeddedBroker b = broker(peopleConf())) {
            Map<String, String> users = Map.of("alice", "wonderland", "bob", "builder", "carol", "carol-pw",
                    "frank", "frank-pw", "erin", "erin-pw", "gina", "gina-pw", "hank", "hank-pw");
            users.forEach((user, password) -> {
                assertThat(Clients.connack3(b.port(), "c-" + user, user, password)).as(user).isZero();
                assertThat(Clients.connack3(b.port(), "c-" + user, user, password + "x")).as(user).isEqualTo(4);
            });
            // crypt(3) is not something Java can check: a known user that cannot be verified is refused, not passed on
            assertThat(Clients.connack3(b.port(), "c-dave", "dave", "dave-pw")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c-x", "mallory", "x")).isEqualTo(5);
        }
    }

    @Test
    void twoEntriesForOneNameAreRefusedNotGuessedBetween() {
        try (EmbeddedBroker b = broker(peopleConf())) {
            assertThat(Clients.connack3(b.port(), "c1", "twin", "twin-pw")).isEqualTo(4);
        }
    }

    @Test
    void anAnonymousSearchThatMayNotReadPasswordsRefusesKnownUsers() {
        String conf = peopleConf().replace("auth.ldap.bind_dn = " + SlapdServer.READER_DN + "\n", "")
                .replace("auth.ldap.bind_password = " + SlapdServer.READER_PASSWORD + "\n", "");
        try (EmbeddedBroker b = broker(conf)) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isEqualTo(4);
            assertThat(Clients.connack3(b.port(), "c2", "mallory", "x")).isEqualTo(5);
        }
    }

    @Test
    void aServiceAccountTheDirectoryRefusesMakesItUnavailableNeverOpen() {
        String conf = emqConf().replace("auth.ldap.bind_password = " + SlapdServer.READER_PASSWORD,
                "auth.ldap.bind_password = wrong");
        try (EmbeddedBroker b = EmbeddedBroker.builder().set("mqtt.allow_anonymous", "true")
                .pluginConf("emq_auth_ldap", conf).loaded("emq_auth_ldap").start();
             LogCapture log = new LogCapture("io.jemq.access")) {
            assertThat(Clients.connack3(b.port(), "c1", "test", "123456")).isEqualTo(3);
            assertThat(Clients.connack3(b.port(), "c2", "nobody", "x")).isEqualTo(3);
            assertThat(log.messages(Level.WARN)).anyMatch(m -> m.contains("emq_auth_ldap is unavailable")
                    && m.contains("invalid credentials"));
        }
    }

    @Test
    void hostileNamesAreEscapedFilterValuesAndLetNobodyIn() {
        List<String> names = List.of("*", "*)(uid=*", "admin)(|(uid=*", "a,b=c", "x' OR '1'='1", "%u", "admin\\",
                "ad*", "a".repeat(65_000));
        try (EmbeddedBroker b = broker(peopleConf())) {
            for (String name : names) {
                for (String password : List.of("admin-pw", "wonderland", "x")) {
                    assertThat(Clients.connack3(b.port(), "inj", name, password))
                            .as("%.40s / %s", name, password).isEqualTo(5);
                }
            }
            List<String> log = slapd.log();
            assertThat(log).anyMatch(l -> l.contains("filter=\"(&(objectClass=inetOrgPerson)(uid=\\2A)(uid=\\2A))\"")
                    || l.contains("filter=\"(&(objectClass=inetOrgPerson)(uid=\\2A\\29\\28uid=\\2A))\""));
            assertThat(log).noneMatch(l -> l.contains("filter=\"(&(objectClass=inetOrgPerson)(uid=*))\""));
        }
        try (EmbeddedBroker b = broker(emqConf())) {
            // the same names in EMQ's base DN: escaped per RFC 4514, so each is one (missing) entry's name
            for (String name : names) {
                assertThat(Clients.connack3(b.port(), "inj", name, "123456")).as("%.40s", name).isEqualTo(5);
            }
        }
    }
}
