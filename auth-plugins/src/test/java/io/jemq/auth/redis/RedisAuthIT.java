package io.jemq.auth.redis;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.api.PasswordHash;
import io.jemq.auth.servers.RedisServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.redis.MqttProbe.mayPublish;
import static io.jemq.auth.redis.MqttProbe.maySubscribe;
import static io.jemq.testkit.Clients.connack3;
import static io.jemq.testkit.Clients.connack5;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * emq_auth_redis against a real redis-server, with real MQTT clients: the seed's configuration and Redis commands as
 * written, every password_hash form, superusers, the ACL hash with its whitelist meaning, and hostile usernames.
 */
class RedisAuthIT {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** The seed's emq_auth_redis.conf, its server filled in. */
    static String seedConf(int port) {
        return """
                ## Redis Server
                auth.redis.server = 127.0.0.1:%d

                ## Redis Pool Size
                auth.redis.pool = 8

                ## Redis Database
                auth.redis.database = 0

                ## Redis Password
                ## auth.redis.password =

                ## Variables: %%u = username, %%c = clientid

                ## Authentication Query Command
                auth.redis.auth_cmd = HGET mqtt_user:%%u password

                ## Password hash: plain, md5, sha, sha256, pbkdf2
                auth.redis.password_hash = sha256

                ## Superuser Query Command
                auth.redis.super_cmd = HGET mqtt_user:%%u is_superuser

                ## ACL Query Command
                auth.redis.acl_cmd = HGETALL mqtt_acl:%%u
                """.formatted(port);
    }

    private static String sha256(String password) {
        return PasswordHash.parse("sha256").hash(password.getBytes(StandardCharsets.UTF_8), null);
    }

    private static EmbeddedBroker broker(String conf, String... keyValues) {
        return EmbeddedBroker.builder().pluginConf("emq_auth_redis", conf).loaded("emq_auth_redis")
                .set(keyValues).start();
    }

    @Test
    void theSeedsConfigurationAndCommandsWorkAsWritten() throws Exception {
        // the seed's user guide, "HSET mqtt_acl:<username> topic1 1" and so on, with <username> = alice
        redis.script("""
                HSET mqtt_user:alice password %s
                HSET mqtt_user:alice is_superuser 0
                HSET mqtt_user:root password %s
                HSET mqtt_user:root is_superuser 1
                HSET mqtt_acl:alice topic1 1
                HSET mqtt_acl:alice topic2 2
                HSET mqtt_acl:alice topic3 3
                """.formatted(sha256("wonderland"), sha256("toor")));
        try (EmbeddedBroker b = broker(seedConf(redis.port()))) {
            assertThat(connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(connack3(b.port(), "c1", "alice", "guess")).isEqualTo(4);
            assertThat(connack5(b.port(), "c1", "alice", "guess")).isEqualTo(0x86);
            assertThat(pahoConnack(b.port(), "alice", "guess")).isEqualTo(4);
            assertThat(pahoConnack(b.port(), "alice", "wonderland")).isZero();
            // unknown user and no username: Redis has no such key, so mqtt.allow_anonymous (true) decides
            assertThat(connack3(b.port(), "c1", "mallory", "x")).isZero();
            assertThat(connack3(b.port(), "c1", null, null)).isZero();

            Mqtt3BlockingClient root = Clients.connect3(b.port(), "root-1", "root", "toor");
            Mqtt3BlockingClient alice = Clients.connect3(b.port(), "alice-1", "alice", "wonderland");
            try {
                assertThat(maySubscribe(root, "#")).as("a superuser skips the ACL").isTrue();
                var seen = Clients.publishes(root);
                assertThat(maySubscribe(alice, "topic1")).isTrue();         // 1: subscribe
                assertThat(maySubscribe(alice, "topic2")).isFalse();        // 2: publish only
                assertThat(maySubscribe(alice, "topic3")).isTrue();         // 3: both
                assertThat(maySubscribe(alice, "elsewhere")).as("rules, none matches: deny").isFalse();
                assertThat(mayPublish(alice, "topic2", seen)).isTrue();
                assertThat(mayPublish(alice, "topic3", seen)).isTrue();
                assertThat(mayPublish(alice, "topic1", seen)).isFalse();
                assertThat(mayPublish(root, "anything/at/all", seen)).isTrue();
            } finally {
                alice.disconnect();
                root.disconnect();
            }
            assertThat(b.broker().plugins().metrics("emq_auth_redis")).containsKeys("auth/success", "acl/deny");
        }
    }

    private static int pahoConnack(int port, String user, String password) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "paho-1", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        try {
            c.connect(o);
            c.disconnect();
            return 0;
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            c.close();
        }
    }

    @Test
    void unknownUsersAndMissingPasswordsWithAnonymousOff() {
        redis.script("HSET mqtt_user:bob password " + sha256("builder"));
        try (EmbeddedBroker b = broker(seedConf(redis.port()), "mqtt.allow_anonymous", "false")) {
            assertThat(connack3(b.port(), "c2", "bob", "builder")).isZero();
            assertThat(connack3(b.port(), "c2", "bob", null)).as("a known user without a password").isEqualTo(4);
            assertThat(connack3(b.port(), "c2", "nobody", "x")).as("ignored, then anonymous is off").isEqualTo(5);
            assertThat(connack5(b.port(), "c2", "nobody", "x")).isEqualTo(0x87);
            assertThat(connack3(b.port(), "c2", null, null)).isEqualTo(5);
        }
    }

    @Test
    void anUnknownUserIsLeftToTheNextPlugin() {
        redis.script("HSET mqtt_user:rita password " + sha256("r"));
        try (EmbeddedBroker b = EmbeddedBroker.builder().pluginConf("emq_auth_redis", seedConf(redis.port()))
                .pluginConf("emq_auth_username", "auth.user.1.username = carl\nauth.user.1.password = pw\n")
                .loaded("emq_auth_username", "emq_auth_redis").set("mqtt.allow_anonymous", "false").start()) {
            assertThat(connack3(b.port(), "n", "rita", "r")).as("Redis knows rita").isZero();
            assertThat(connack3(b.port(), "n", "carl", "pw")).as("Redis ignores carl, emq_auth_username allows")
                    .isZero();
            assertThat(connack3(b.port(), "n", "carl", "bad")).isEqualTo(4);
            assertThat(connack3(b.port(), "n", "nobody", "pw")).isEqualTo(5);
        }
    }

    /** Each form of REFERENCE 2.2, EMQ 2.3's and 2.0's spellings, with the salt from the same hash. */
    @Test
    void everyPasswordHashForm() {
        List<String> forms = List.of("plain", "md5", "sha", "sha256", "sha512", "bcrypt", "salt,sha256",
                "sha256,salt", "salt sha256", "sha256 salt", "salt,md5", "sha,salt", "pbkdf2,sha256,1000,20",
                "pbkdf2 sha512 10 64", "salt,bcrypt", "pbkdf2");
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < forms.size(); i++) {
            String salt = "NaCl" + i;
            byte[] pw = ("pw-" + i).getBytes(StandardCharsets.UTF_8);
            String stored;
            if (forms.get(i).contains("bcrypt")) {
                stored = PasswordHash.bcrypt(pw, 4);
                salt = stored.substring(0, 29);
            } else if (forms.get(i).equals("pbkdf2")) {
                stored = PasswordHash.pbkdf2("sha512", 2000, 32).hash(pw, salt);    // 2.0's separate keys below
            } else {
                stored = PasswordHash.parse(forms.get(i)).hash(pw, salt);
            }
            data.append("HSET mqtt_user:h").append(i).append(" password ").append(stored).append(" salt ")
                    .append(salt).append('\n');
        }
        redis.script(data.toString());
        EmbeddedBroker.Builder f = EmbeddedBroker.builder().controlSocket().set("mqtt.allow_anonymous", "false");
        try (EmbeddedBroker b = f.start()) {
            for (int i = 0; i < forms.size(); i++) {
                f.pluginConf("emq_auth_redis", "auth.redis.server = 127.0.0.1:" + redis.port() + "\n"
                        + "auth.redis.auth_cmd = HMGET mqtt_user:%u password salt\n"
                        + "auth.redis.password_hash = " + forms.get(i) + "\n"
                        + "auth.redis.pbkdf2_macfun = sha512\nauth.redis.pbkdf2_iterations = 2000\n"
                        + "auth.redis.pbkdf2_dklen = 32\n");
                assertThat(f.ctl("plugins", "load", "emq_auth_redis").code()).as(forms.get(i)).isZero();
                assertThat(connack3(b.port(), "h", "h" + i, "pw-" + i)).as(forms.get(i)).isZero();
                assertThat(connack3(b.port(), "h", "h" + i, "pw-" + i + "x")).as(forms.get(i)).isEqualTo(4);
                assertThat(f.ctl("plugins", "unload", "emq_auth_redis").code()).isZero();
            }
        }
    }

    @Test
    void superuserOnlyWithSuperCmdAndTheReplyOne() throws Exception {
        redis.script("""
                HSET mqtt_user:sam password %s is_superuser 1
                HSET mqtt_user:sue password %s is_superuser 0
                HSET mqtt_acl:sam own/topic 3
                HSET mqtt_acl:sue own/topic 3
                """.formatted(sha256("s"), sha256("s")));
        String withSuper = seedConf(redis.port());
        String withoutSuper = withSuper.replace("auth.redis.super_cmd", "## auth.redis.super_cmd");
        for (Map.Entry<String, Boolean> c : Map.of(withSuper, true, withoutSuper, false).entrySet()) {
            try (EmbeddedBroker b = broker(c.getKey())) {
                Mqtt3BlockingClient sam = Clients.connect3(b.port(), "sam-1", "sam", "s");
                Mqtt3BlockingClient sue = Clients.connect3(b.port(), "sue-1", "sue", "s");
                assertThat(maySubscribe(sam, "not/own")).as("is_superuser 1, super_cmd set: " + c.getValue())
                        .isEqualTo(c.getValue());
                assertThat(maySubscribe(sue, "not/own")).as("is_superuser 0").isFalse();
                assertThat(maySubscribe(sue, "own/topic")).isTrue();
                sam.disconnect();
                sue.disconnect();
            }
        }
    }

    @Test
    void aclFiltersFillUsernameAndClientIdAndANoRulesUserIsIgnored() throws Exception {
        redis.script("""
                HSET mqtt_user:dave password %s
                HSET mqtt_user:erin password %s
                HSET mqtt_user:watcher password %s is_superuser 1
                HSET mqtt_acl:dave devices/%%c/# 3
                HSET mqtt_acl:dave users/%%u/inbox 1
                """.formatted(sha256("d"), sha256("e"), sha256("w")));
        try (EmbeddedBroker b = broker(seedConf(redis.port()), "mqtt.acl_nomatch", "allow")) {
            Mqtt3BlockingClient watcher = Clients.connect3(b.port(), "w", "watcher", "w");
            Mqtt3BlockingClient dave = Clients.connect3(b.port(), "dev1", "dave", "d");
            Mqtt3BlockingClient erin = Clients.connect3(b.port(), "erin-1", "erin", "e");
            try {
                assertThat(maySubscribe(watcher, "#")).isTrue();
                var seen = Clients.publishes(watcher);
                assertThat(maySubscribe(dave, "devices/dev1/+")).isTrue();
                assertThat(maySubscribe(dave, "devices/dev2/x")).isFalse();
                assertThat(maySubscribe(dave, "users/dave/inbox")).isTrue();
                assertThat(maySubscribe(dave, "users/erin/inbox")).isFalse();
                assertThat(mayPublish(dave, "devices/dev1/temp", seen)).isTrue();
                assertThat(mayPublish(dave, "devices/dev2/temp", seen)).isFalse();
                assertThat(mayPublish(dave, "users/dave/inbox", seen)).as("1 is subscribe only").isFalse();
                // a client id that is a wildcard fills no level: devices/%c/# covers nothing for it
                Mqtt3BlockingClient wild = Clients.connect3(b.port(), "#", "dave", "d");
                assertThat(maySubscribe(wild, "devices/x/y")).isFalse();
                assertThat(mayPublish(wild, "devices/x/y", seen)).isFalse();
                wild.disconnect();
                // erin has no rules: not this source's to decide, so mqtt.acl_nomatch (allow) does
                assertThat(maySubscribe(erin, "anything")).isTrue();
                assertThat(mayPublish(erin, "anything", seen)).isTrue();
            } finally {
                dave.disconnect();
                erin.disconnect();
                watcher.disconnect();
            }
        }
    }

    @Test
    void hostileUsernamesAreJustUsernamesAndChangeNothing() {
        redis.script("""
                HSET mqtt_user:x password %s
                HSET "mqtt_user:a b" password %s
                """.formatted(sha256("p"), sha256("ab")));
        String before = keysAndValues();
        List<String> hostile = List.of("x' OR '1'='1", "admin'-- ", "*)(uid=*", "%u", "{\"$ne\":1}",
                "\"},{\"username\":\"x", "x password", "x\r\nFLUSHALL\r\n", "a", "x*", "a".repeat(65_535));
        try (EmbeddedBroker b = broker(seedConf(redis.port()), "mqtt.allow_anonymous", "false",
                "mqtt.max_packet_size", "1MB")) {
            for (String user : hostile) {
                assertThat(connack3(b.port(), "h", user, "p")).as(user.length() > 80 ? "64 KiB" : user)
                        .isEqualTo(5);
            }
            // a username with a space is one argument: the key "mqtt_user:a b"
            assertThat(connack3(b.port(), "h", "a b", "ab")).isZero();
            assertThat(connack3(b.port(), "h", "x", "p")).isZero();
        }
        assertThat(keysAndValues()).isEqualTo(before);
    }

    private static String keysAndValues() {
        StringBuilder sb = new StringBuilder();
        for (String key : redis.cli("--scan").lines().sorted().toList()) {
            sb.append(key).append(" => ").append(redis.cli("HGETALL", key)).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theShippedConfigWorksWithItsDefaults() throws Exception {
        String shipped = Files.readString(Path.of("../etc/plugins/emq_auth_redis.conf"))
                .replace("auth.redis.server = 127.0.0.1:6379", "auth.redis.server = 127.0.0.1:" + redis.port());
        redis.script("HSET mqtt_user:shipped password plain-text is_superuser 0\nHSET mqtt_acl:shipped mine/# 3\n");
        try (EmbeddedBroker b = broker(shipped, "mqtt.allow_anonymous", "false")) {
            assertThat(connack3(b.port(), "c", "shipped", "plain-text")).isZero();
            assertThat(connack3(b.port(), "c", "shipped", "other")).isEqualTo(4);
            Mqtt3BlockingClient c = Clients.connect3(b.port(), "c", "shipped", "plain-text");
            assertThat(maySubscribe(c, "mine/1")).isTrue();
            assertThat(maySubscribe(c, "yours/1")).isFalse();
            c.disconnect();
        }
    }

    @Test
    void aSaltedHashWithOneFieldFailsTheLoadNamingTheKey() {
        EmbeddedBroker.Builder f = EmbeddedBroker.builder().controlSocket().pluginConf("emq_auth_redis", """
                auth.redis.server = 127.0.0.1:%d
                auth.redis.auth_cmd = HGET mqtt_user:%%u password
                auth.redis.password_hash = salt,sha256
                """.formatted(redis.port()));
        try (EmbeddedBroker b = f.start()) {
            var reply = f.ctl("plugins", "load", "emq_auth_redis");
            assertThat(reply.code()).isEqualTo(1);
            assertThat(reply.output()).contains("emq_auth_redis.conf:2: auth.redis.auth_cmd: expected a command "
                    + "that fetches the salt too");
            assertThat(b.broker().plugins().metrics("emq_auth_redis")).isEmpty();
        }
    }
}
