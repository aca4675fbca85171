package io.jemq.auth.redis;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.api.PasswordHash;
import io.jemq.auth.servers.RedisServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.jemq.auth.redis.MqttProbe.maySubscribe;
import static io.jemq.testkit.Clients.connack3;
import static io.jemq.testkit.Clients.connack5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * emq_auth_redis when Redis is not there: stopped mid-run, down when the plugin loads, too slow, or refusing the
 * command. Clients get "server unavailable" (never in), ACL checks are denied, the outage is logged once, and once
 * Redis is back on the same port logins work again within seconds, with no broker restart.
 */
class RedisOutageIT {
    private static final Duration RECOVERY = Duration.ofSeconds(5);
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        redis.script("""
                HSET mqtt_user:alice password %s
                HSET mqtt_acl:alice t/# 3
                """.formatted(PasswordHash.parse("sha256").hash("a".getBytes(StandardCharsets.UTF_8), null)));
    }

    @BeforeEach
    void redisIsUp() {
        redis.restart();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static EmbeddedBroker broker(String extraConf) {
        return brokerWith(RedisAuthIT.seedConf(redis.port()) + extraConf);
    }

    private static EmbeddedBroker brokerWith(String conf) {
        return EmbeddedBroker.builder().pluginConf("emq_auth_redis", conf).loaded("emq_auth_redis")
                .set("mqtt.allow_anonymous", "true").start();
    }

    @Test
    void aLostServerAnswersServerUnavailableLogsOnceAndRecoversWithoutARestart() {
        try (LogCapture log = new LogCapture("io.jemq.access"); EmbeddedBroker b = broker("")) {
            Mqtt3BlockingClient alice = Clients.connect3(b.port(), "alice-1", "alice", "a");
            assertThat(maySubscribe(alice, "t/1")).isTrue();

            redis.stop();
            for (int i = 0; i < 5; i++) {
                assertThat(connack3(b.port(), "c", "alice", "a")).as("server unavailable, never in").isEqualTo(3);
            }
            assertThat(connack3(b.port(), "c", "nobody", "x")).as("not even anonymous").isEqualTo(3);
            assertThat(connack5(b.port(), "c", "alice", "a")).isEqualTo(0x88);
            assertThat(maySubscribe(alice, "t/2")).as("an ACL check that cannot be asked is denied").isFalse();
            assertThat(log.messages().stream().filter(m -> m.contains("authentication source emq_auth_redis is "
                    + "unavailable"))).as(log.messages().toString()).hasSize(1);

            redis.restart();
            await().atMost(RECOVERY).until(() -> connack3(b.port(), "c", "alice", "a") == 0);
            // the denial during the outage was not cached: the same filter is asked again, and allowed
            await().atMost(RECOVERY).until(() -> maySubscribe(alice, "t/2"));
            assertThat(log.messages()).anyMatch(m -> m.contains("emq_auth_redis answers again"));
            alice.disconnect();
        }
    }

    @Test
    void thePluginLoadsWhileRedisIsDownAndRecoversByItself() {
        redis.stop();
        try (EmbeddedBroker b = broker("")) {
            assertThat(b.broker().plugins().metrics("emq_auth_redis")).isNotNull();
            assertThat(connack3(b.port(), "c", "alice", "a")).isEqualTo(3);
            redis.restart();
            await().atMost(RECOVERY).until(() -> connack3(b.port(), "c", "alice", "a") == 0);
            assertThat(connack3(b.port(), "c", "alice", "wrong")).isEqualTo(4);
        }
    }

    @Test
    void aSlowServerTimesOutWithinTheQueryTimeout() {
        try (EmbeddedBroker b = broker("auth.redis.query_timeout = 300ms\n")) {
            assertThat(connack3(b.port(), "c", "alice", "a")).isZero();
            redis.cli("CLIENT", "PAUSE", "2500", "ALL");
            long start = System.nanoTime();
            assertThat(connack3(b.port(), "c", "alice", "a")).isEqualTo(3);
            // the connections were made at load: each command times out after 300 ms, well within mqtt.auth_timeout
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
            await().atMost(RECOVERY).until(() -> connack3(b.port(), "c", "alice", "a") == 0);
        }
    }

    @Test
    void aCommandRedisRefusesIsOneClearErrorNamingTheKey() {
        try (LogCapture log = new LogCapture("io.jemq.access");
             EmbeddedBroker b = brokerWith(RedisAuthIT.seedConf(redis.port()).replace("HGET mqtt_user:%u password",
                     "HMGETX mqtt_user:%u password"))) {
            assertThat(connack3(b.port(), "c", "alice", "a")).isEqualTo(3);
            assertThat(connack3(b.port(), "c", "alice", "a")).isEqualTo(3);
            assertThat(log.messages().stream().filter(m -> m.contains("emq_auth_redis")
                    && m.contains("auth.redis.auth_cmd failed: ERR unknown command 'HMGETX'"))).hasSize(1);
        }
    }
}
