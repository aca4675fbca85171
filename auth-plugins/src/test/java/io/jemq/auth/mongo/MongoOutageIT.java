package io.jemq.auth.mongo;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jemq.auth.redis.MqttProbe.maySubscribe;
import static io.jemq.testkit.Clients.connack3;
import static io.jemq.testkit.Clients.connack5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * emq_auth_mongo when MongoDB is not there (stopped mid-run, down when the plugin loads) or holds documents of the
 * wrong shape: "server unavailable", ACL denied, the outage logged once, and recovery on the same port within seconds
 * without a broker restart. MongoDB is mongo-java-server (no Debian package).
 */
class MongoOutageIT {
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static MongoTestServer mongo;

    @BeforeAll
    static void startMongo() {
        mongo = MongoTestServer.start();
        mongo.insert("mqtt_user", MongoAuthIT.user("test", "pw", false), MongoAuthIT.user("badacl", "b", false),
                new Document("username", "numeric").append("password", 1234));
        mongo.insert("mqtt_acl", new Document("username", "test").append("subscribe", List.of("t/#")),
                new Document("username", "badacl").append("pubsub", "t/1"));
    }

    @BeforeEach
    void mongoIsUp() {
        mongo.restart();
    }

    @AfterAll
    static void stopMongo() {
        mongo.close();
    }

    private static EmbeddedBroker broker() {
        return EmbeddedBroker.builder().pluginConf("emq_auth_mongo", MongoAuthIT.seedConf(mongo.port()))
                .loaded("emq_auth_mongo").set("mqtt.allow_anonymous", "true").start();
    }

    @Test
    void aLostServerAnswersServerUnavailableLogsOnceAndRecoversWithoutARestart() {
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = broker()) {
            Mqtt3BlockingClient test = Clients.connect3(b.port(), "test-1", "test", "pw");
            assertThat(maySubscribe(test, "t/1")).isTrue();

            mongo.stop();
            for (int i = 0; i < 4; i++) {
                assertThat(connack3(b.port(), "c", "test", "pw")).as("server unavailable, never in").isEqualTo(3);
            }
            assertThat(connack5(b.port(), "c", "test", "pw")).isEqualTo(0x88);
            assertThat(maySubscribe(test, "t/2")).as("an ACL check that cannot be asked is denied").isFalse();
            assertThat(log.messages().stream().filter(m -> m.contains("authentication source emq_auth_mongo is "
                    + "unavailable"))).as(log.messages().toString()).hasSize(1);

            mongo.restart();
            await().atMost(RECOVERY).until(() -> connack3(b.port(), "c", "test", "pw") == 0);
            await().atMost(RECOVERY).until(() -> maySubscribe(test, "t/2"));
            assertThat(log.messages()).anyMatch(m -> m.contains("emq_auth_mongo answers again"));
            test.disconnect();
        }
    }

    @Test
    void thePluginLoadsWhileMongoIsDownAndRecoversByItself() {
        mongo.stop();
        try (EmbeddedBroker b = broker()) {
            assertThat(connack3(b.port(), "c", "test", "pw")).isEqualTo(3);
            mongo.restart();
            await().atMost(RECOVERY).until(() -> connack3(b.port(), "c", "test", "pw") == 0);
            assertThat(connack3(b.port(), "c", "test", "wrong")).isEqualTo(4);
        }
    }

    @Test
    void aServerThatNeverAnswersIsUnavailableWithinTheAuthTimeout() throws Exception {
        // a TCP peer that accepts and then says nothing: what a hung or black-holed MongoDB looks like
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException e) {
                            // closing what the test held
                        }
                    });
                }
            }, "silent-mongo");
            acceptor.setDaemon(true);
            acceptor.start();
            String conf = MongoAuthIT.seedConf(silent.getLocalPort()) + "auth.mongo.query_timeout = 1s\n";
            try (EmbeddedBroker b = EmbeddedBroker.builder().pluginConf("emq_auth_mongo", conf)
                    .loaded("emq_auth_mongo").start()) {
                long start = System.nanoTime();
                assertThat(connack3(b.port(), "c", "test", "pw")).isEqualTo(3);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void documentsOfTheWrongShapeAreOneClearErrorNamingTheKey() {
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = broker()) {
            assertThat(connack3(b.port(), "c", "numeric", "1234")).isEqualTo(3);
            assertThat(log.messages()).anyMatch(m -> m.contains("emq_auth_mongo") && m.contains(
                    "auth.mongo.auth_query.password_field: the field password of the mqtt_user document"));
            Mqtt3BlockingClient test = Clients.connect3(b.port(), "c2", "test", "pw");
            assertThat(maySubscribe(test, "t/1")).as("other documents are fine").isTrue();
            test.disconnect();
            Mqtt3BlockingClient bad = Clients.connect3(b.port(), "c3", "badacl", "b");
            assertThat(maySubscribe(bad, "t/1")).as("a topic list that is a string: denied").isFalse();
            assertThat(log.messages()).anyMatch(m -> m.contains("emq_auth_mongo") && m.contains(
                    "auth.mongo.acl_query: the field pubsub of the mqtt_acl document"));
            bad.disconnect();
        }
    }
}
