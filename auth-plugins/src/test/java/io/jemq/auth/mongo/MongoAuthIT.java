package io.jemq.auth.mongo;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.api.PasswordHash;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.bson.Document;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jemq.auth.redis.MqttProbe.mayPublish;
import static io.jemq.auth.redis.MqttProbe.maySubscribe;
import static io.jemq.testkit.Clients.connack3;
import static io.jemq.testkit.Clients.connack5;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * emq_auth_mongo against a MongoDB wire-protocol server (mongo-java-server: MongoDB has no Debian package), with real
 * MQTT clients: the seed's configuration and documents as written, every password_hash form, superusers, the ACL
 * documents with their whitelist meaning and several selectors, and hostile usernames.
 */
class MongoAuthIT {
    private static MongoTestServer mongo;

    @BeforeAll
    static void startMongo() {
        mongo = MongoTestServer.start();
        mongo.insert("mqtt_user",
                user("test", "pw", false), user("admin", "admin", false), user("root", "toor", true),
                user("nodoc", "n", false), user("{\"$ne\":1}", "odd", false));
        // the seed's documents, as the user guide writes them
        mongo.insert("mqtt_acl", seedDocument(
                "db.mqtt_acl.insert({username: \"test\", publish: [\"t/1\", \"t/2\"], subscribe: [\"user/%u\", "
                        + "\"client/%c\"]})"),
                seedDocument("db.mqtt_acl.insert({username: \"admin\", pubsub: [\"#\"]})"));
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    /** The shell's {@code db.<collection>.insert({...})} line, read by the BSON parser (unquoted names and all). */
    static Document seedDocument(String shellLine) {
        return Document.parse(shellLine.substring(shellLine.indexOf('(') + 1, shellLine.lastIndexOf(')')));
    }

    static Document user(String name, String password, boolean superuser) {
        return new Document("username", name).append("password", PasswordHash.parse("sha256")
                .hash(bytes(password), null)).append("is_superuser", superuser).append("created", "2018-01-01");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The seed's emq_auth_mongo.conf sections; its ACL collection made mqtt_acl (the seed says mqtt_user, a typo). */
    static String seedConf(int port) {
        return """
                ## Mongo Server
                auth.mongo.server = 127.0.0.1:%d

                ## Mongo Pool Size
                auth.mongo.pool = 8

                ## Mongo User
                ## auth.mongo.user =

                ## Mongo Password
                ## auth.mongo.password =

                ## Mongo Database
                auth.mongo.database = mqtt

                ## auth_query
                auth.mongo.auth_query.collection = mqtt_user

                auth.mongo.auth_query.password_field = password

                auth.mongo.auth_query.password_hash = sha256

                auth.mongo.auth_query.selector = username=%%u

                ## super_query
                auth.mongo.super_query.collection = mqtt_user

                auth.mongo.super_query.super_field = is_superuser

                auth.mongo.super_query.selector = username=%%u

                ## acl_query
                auth.mongo.acl_query.collection = mqtt_acl

                auth.mongo.acl_query.selector = username=%%u
                """.formatted(port);
    }

    private static EmbeddedBroker broker(String conf, String... keyValues) {
        return EmbeddedBroker.builder().pluginConf("emq_auth_mongo", conf).loaded("emq_auth_mongo").set(keyValues)
                .start();
    }

    @Test
    void theSeedsConfigurationAndDocumentsWorkAsWritten() throws Exception {
        try (EmbeddedBroker b = broker(seedConf(mongo.port()), "mqtt.acl_nomatch", "allow")) {
            assertThat(connack3(b.port(), "c1", "test", "pw")).isZero();
            assertThat(connack3(b.port(), "c1", "test", "guess")).isEqualTo(4);
            assertThat(connack5(b.port(), "c1", "test", "guess")).isEqualTo(0x86);
            assertThat(pahoConnack(b.port(), "test", "guess")).isEqualTo(4);
            assertThat(connack3(b.port(), "c1", "mallory", "x")).as("no document: anonymous decides").isZero();

            Mqtt3BlockingClient root = Clients.connect3(b.port(), "root-1", "root", "toor");
            Mqtt3BlockingClient test = Clients.connect3(b.port(), "dev-7", "test", "pw");
            Mqtt3BlockingClient admin = Clients.connect3(b.port(), "admin-1", "admin", "admin");
            Mqtt3BlockingClient nodoc = Clients.connect3(b.port(), "nodoc-1", "nodoc", "n");
            try {
                assertThat(maySubscribe(root, "#")).as("a superuser skips the ACL").isTrue();
                var seen = Clients.publishes(root);
                assertThat(mayPublish(test, "t/1", seen)).isTrue();
                assertThat(mayPublish(test, "t/3", seen)).as("a document, no match: deny").isFalse();
                assertThat(maySubscribe(test, "user/test")).isTrue();
                assertThat(maySubscribe(test, "user/admin")).isFalse();
                assertThat(maySubscribe(test, "client/dev-7")).isTrue();
                assertThat(maySubscribe(test, "t/1")).as("publish only").isFalse();
                assertThat(maySubscribe(admin, "any/thing")).isTrue();
                assertThat(mayPublish(admin, "any/thing", seen)).isTrue();
                // no document: not this source's to decide, so mqtt.acl_nomatch (allow) does
                assertThat(maySubscribe(nodoc, "any/thing")).isTrue();
            } finally {
                for (Mqtt3BlockingClient c : List.of(test, admin, nodoc, root)) {
                    c.disconnect();
                }
            }
            assertThat(b.broker().plugins().metrics("emq_auth_mongo")).containsKeys("auth/success", "acl/deny");
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
    void anUnknownUserIsLeftToTheNextPlugin() {
        try (EmbeddedBroker b = EmbeddedBroker.builder().pluginConf("emq_auth_mongo", seedConf(mongo.port()))
                .pluginConf("emq_auth_username", "auth.user.1.username = carl\nauth.user.1.password = pw\n")
                .loaded("emq_auth_username", "emq_auth_mongo").set("mqtt.allow_anonymous", "false").start()) {
            assertThat(connack3(b.port(), "n", "test", "pw")).as("MongoDB knows test").isZero();
            assertThat(connack3(b.port(), "n", "carl", "pw")).as("MongoDB ignores carl, emq_auth_username allows")
                    .isZero();
            assertThat(connack3(b.port(), "n", "carl", "bad")).isEqualTo(4);
            assertThat(connack3(b.port(), "n", "nobody", "pw")).isEqualTo(5);
        }
    }

    @Test
    void theShippedConfigWorksWithItsDefaults() throws Exception {
        String shipped = Files.readString(Path.of("../etc/plugins/emq_auth_mongo.conf"))
                .replace("auth.mongo.server = 127.0.0.1:27017", "auth.mongo.server = 127.0.0.1:" + mongo.port());
        try (EmbeddedBroker b = broker(shipped, "mqtt.allow_anonymous", "false")) {
            assertThat(connack3(b.port(), "c", "test", "pw")).isZero();
            assertThat(connack3(b.port(), "c", "test", "other")).isEqualTo(4);
            Mqtt3BlockingClient c = Clients.connect3(b.port(), "c", "test", "pw");
            assertThat(maySubscribe(c, "user/test")).isTrue();
            assertThat(maySubscribe(c, "user/other")).isFalse();
            c.disconnect();
        }
    }

    @Test
    void everyPasswordHashFormWithThePasswordAndSaltFields() {
        List<String> forms = List.of("plain", "md5", "sha", "sha256", "sha512", "bcrypt", "salt,sha256",
                "sha256,salt", "salt sha256", "salt,md5", "pbkdf2,sha256,1000,20", "pbkdf2 sha 100 32",
                "salt,bcrypt");
        List<Document> users = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            String salt = "NaCl" + i;
            String stored;
            if (forms.get(i).contains("bcrypt")) {
                stored = PasswordHash.bcrypt(bytes("pw-" + i), 4);
                salt = stored.substring(0, 29);
            } else {
                stored = PasswordHash.parse(forms.get(i)).hash(bytes("pw-" + i), salt);
            }
            users.add(new Document("username", "h" + i).append("password", stored).append("salt", salt));
        }
        mongo.insert("hash_users", users.toArray(Document[]::new));
        EmbeddedBroker.Builder f = EmbeddedBroker.builder().controlSocket().set("mqtt.allow_anonymous", "false");
        try (EmbeddedBroker b = f.start()) {
            for (int i = 0; i < forms.size(); i++) {
                f.pluginConf("emq_auth_mongo", "auth.mongo.server = 127.0.0.1:" + mongo.port() + "\n"
                        + "auth.mongo.auth_query.collection = hash_users\n"
                        + "auth.mongo.auth_query.password_field = password,salt\n"
                        + "auth.mongo.auth_query.password_hash = " + forms.get(i) + "\n");
                assertThat(f.ctl("plugins", "load", "emq_auth_mongo").code()).as(forms.get(i)).isZero();
                assertThat(connack3(b.port(), "h", "h" + i, "pw-" + i)).as(forms.get(i)).isZero();
                assertThat(connack3(b.port(), "h", "h" + i, "pw-" + i + "x")).as(forms.get(i)).isEqualTo(4);
                assertThat(f.ctl("plugins", "unload", "emq_auth_mongo").code()).isZero();
            }
        }
    }

    @Test
    void superuserOnlyForTheBooleanTrueAndOnlyWithTheSuperQuery() {
        mongo.insert("supers", new Document("username", "yes").append("password", "p").append("is_superuser", true),
                new Document("username", "one").append("password", "p").append("is_superuser", 1),
                new Document("username", "text").append("password", "p").append("is_superuser", "true"));
        String conf = "auth.mongo.server = 127.0.0.1:" + mongo.port() + "\n"
                + "auth.mongo.auth_query.collection = supers\nauth.mongo.auth_query.password_hash = plain\n"
                + "auth.mongo.super_query.collection = supers\n"
                + "auth.mongo.acl_query = on\nauth.mongo.acl_query.collection = supers\n";
        for (Map.Entry<String, Boolean> c : Map.of(conf + "auth.mongo.super_query = on\n", true,
                conf + "auth.mongo.super_query = off\n", false).entrySet()) {
            try (EmbeddedBroker b = broker(c.getKey())) {
                for (String user : List.of("yes", "one", "text")) {
                    Mqtt3BlockingClient client = Clients.connect3(b.port(), "s-" + user, user, "p");
                    // each user has an ACL document without topics: everything not granted is denied
                    assertThat(maySubscribe(client, "x/y")).as(user + ", super_query on: " + c.getValue())
                            .isEqualTo(c.getValue() && user.equals("yes"));
                    client.disconnect();
                }
            }
        }
    }

    @Test
    void severalAclSelectorsAreEachAskedAndCombined() {
        mongo.insert("acl_multi", new Document("username", "$all").append("subscribe", List.of("public/#")),
                new Document("username", "test").append("subscribe", List.of("own/%u")));
        String conf = seedConf(mongo.port()).replace("auth.mongo.acl_query.collection = mqtt_acl",
                "auth.mongo.acl_query.collection = acl_multi").replace("auth.mongo.acl_query.selector = username=%u",
                "auth.mongo.acl_query.selector.1 = username=%u\nauth.mongo.acl_query.selector.2 = username=$all");
        try (EmbeddedBroker b = broker(conf)) {
            Mqtt3BlockingClient test = Clients.connect3(b.port(), "c-test", "test", "pw");
            Mqtt3BlockingClient nodoc = Clients.connect3(b.port(), "c-nodoc", "nodoc", "n");
            assertThat(maySubscribe(test, "own/test")).isTrue();
            assertThat(maySubscribe(test, "public/news")).isTrue();
            assertThat(maySubscribe(test, "other")).isFalse();
            assertThat(maySubscribe(nodoc, "public/news")).as("the $all document applies to everyone").isTrue();
            assertThat(maySubscribe(nodoc, "own/nodoc")).isFalse();
            test.disconnect();
            nodoc.disconnect();
        }
    }

    @Test
    void hostileUsernamesAreJustValuesAndChangeNothing() {
        String before = everything();
        List<String> hostile = List.of("x' OR '1'='1", "admin'-- ", "*)(uid=*", "a b", "%u", "{\"$gt\":\"\"}",
                "\"}, {\"username\": {\"$ne\": 1}}, {\"a\":\"", "$where", "a".repeat(65_535));
        try (EmbeddedBroker b = broker(seedConf(mongo.port()), "mqtt.allow_anonymous", "false",
                "mqtt.max_packet_size", "1MB")) {
            for (String user : hostile) {
                assertThat(connack3(b.port(), "h", user, "pw")).as(user.length() > 80 ? "64 KiB" : user)
                        .isEqualTo(5);
            }
            // a username that reads as an operator is a value: it finds the user of that very name, nobody else
            assertThat(connack3(b.port(), "h", "{\"$ne\":1}", "odd")).isZero();
            assertThat(connack3(b.port(), "h", "{\"$ne\":1}", "pw")).isEqualTo(4);
        }
        assertThat(everything()).isEqualTo(before);
    }

    private static String everything() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("mqtt_user", "mqtt_acl")) {
            mongo.mqtt().getCollection(name).find().forEach(d -> sb.append(name).append(d.toJson()).append('\n'));
        }
        return sb.toString();
    }
}
