package io.jemq.auth.redis;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.auth.servers.RedisServer;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jemq.auth.redis.MqttProbe.maySubscribe;
import static io.jemq.testkit.Clients.connack3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * emq_auth_redis against the deployments EMQ offered: a server with a password and another database, a master found
 * through a sentinel ({@code auth.redis.sentinel}), and a cluster ({@code auth.redis.type = cluster}, EMQ 3.x), each
 * a real redis-server started for the test.
 */
class RedisTopologiesIT {
    private static final String CONF = """
            auth.redis.auth_cmd = HMGET mqtt_user:%u password
            auth.redis.password_hash = plain
            auth.redis.acl_cmd = HGETALL mqtt_acl:%u
            """;

    private static EmbeddedBroker broker(String conf) {
        return EmbeddedBroker.builder().pluginConf("emq_auth_redis", conf + CONF).loaded("emq_auth_redis")
                .set("mqtt.allow_anonymous", "false").start();
    }

    @Test
    void aPasswordAndADatabaseOtherThanZero() {
        try (RedisServer redis = RedisServer.start("--requirepass", "s3cret")) {
            redis.cli("-a", "s3cret", "--no-auth-warning", "-n", "3", "HSET", "mqtt_user:pat", "password", "p");
            try (EmbeddedBroker b = broker("auth.redis.server = 127.0.0.1:" + redis.port() + "\n"
                    + "auth.redis.password = s3cret\nauth.redis.database = 3\n")) {
                assertThat(connack3(b.port(), "c", "pat", "p")).isZero();
                assertThat(connack3(b.port(), "c", "pat", "q")).isEqualTo(4);
            }
            try (EmbeddedBroker b = broker("auth.redis.server = 127.0.0.1:" + redis.port() + "\n"
                    + "auth.redis.password = wrong\nauth.redis.database = 3\n")) {
                assertThat(connack3(b.port(), "c", "pat", "p")).as("Redis refuses the plugin: unavailable")
                        .isEqualTo(3);
            }
        }
    }

    @Test
    void theMasterIsFoundThroughASentinel() {
        try (RedisServer master = RedisServer.start("--requirepass", "pw");
             RedisServer sentinel = RedisServer.sentinel(master.port(), "mymaster", "pw")) {
            master.cli("-a", "pw", "--no-auth-warning", "HSET", "mqtt_user:sid", "password", "p");
            try (EmbeddedBroker b = broker("auth.redis.server = 127.0.0.1:" + sentinel.port() + "\n"
                    + "auth.redis.sentinel = mymaster\nauth.redis.password = pw\n")) {
                assertThat(connack3(b.port(), "c", "sid", "p")).isZero();
                assertThat(connack3(b.port(), "c", "sid", "q")).isEqualTo(4);
            }
        }
    }

    @Test
    void aCluster() throws Exception {
        try (RedisServer node = RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-announce-ip", "127.0.0.1")) {
            node.cli("CLUSTER", "ADDSLOTSRANGE", "0", "16383");
            await().atMost(Duration.ofSeconds(10)).until(() -> node.cli("CLUSTER", "INFO")
                    .contains("cluster_state:ok"));
            node.cli("HSET", "mqtt_user:cleo", "password", "p");
            node.cli("HSET", "mqtt_acl:cleo", "own/#", "3");
            try (EmbeddedBroker b = broker("auth.redis.type = cluster\nauth.redis.server = 127.0.0.1:"
                    + node.port() + "\n")) {
                assertThat(connack3(b.port(), "c", "cleo", "p")).isZero();
                assertThat(connack3(b.port(), "c", "cleo", "q")).isEqualTo(4);
                Mqtt3BlockingClient cleo = Clients.connect3(b.port(), "cleo-1", "cleo", "p");
                assertThat(maySubscribe(cleo, "own/x")).isTrue();
                assertThat(maySubscribe(cleo, "other/x")).isFalse();
                cleo.disconnect();
            }
        }
    }
}
