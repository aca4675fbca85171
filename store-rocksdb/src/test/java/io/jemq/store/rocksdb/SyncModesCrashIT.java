package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The promise of {@code mqtt.storage.sync = interval} and {@code none} (docs/durability.md): what was acknowledged
 * is in the write-ahead log in the OS's page cache, so a killed broker (not a lost machine) loses none of it. A
 * broker in its own process is killed with SIGKILL right after its last PUBACK, and started again.
 */
class SyncModesCrashIT {
    private static final int MESSAGES = 200;

    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {"interval", "none"})
    void acknowledgedMessagesSurviveAKill(String sync) throws Exception {
        int port = CrashableBroker.freePort();
        String[] settings = {"mqtt.storage.sync=" + sync, "mqtt.storage.sync_interval=10s"};
        Process broker = CrashableBroker.launch(home, port, settings);
        try {
            Mqtt5BlockingClient sub = client("sync-sub", port);
            sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            sub.subscribeWith().topicFilter("sync/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            Mqtt5BlockingClient pub = client("sync-pub", port);
            pub.connect();
            for (int i = 0; i < MESSAGES; i++) {
                pub.publishWith().topic("sync/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send();   // returns at PUBACK
            }
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);           // SIGKILL after the last PUBACK
            assertThat(broker.exitValue()).as("killed, not stopped").isEqualTo(137);

            broker = CrashableBroker.launch(home, port, settings);
            Set<String> got = ConcurrentHashMap.newKeySet();
            Mqtt5BlockingClient back = client("sync-sub", port);
            back.toAsync().publishes(MqttGlobalPublishFilter.ALL,
                    p -> got.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().isSessionPresent())
                    .isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == MESSAGES);
            back.disconnect();
        } finally {
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Mqtt5BlockingClient client(String id, int port) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }
}
