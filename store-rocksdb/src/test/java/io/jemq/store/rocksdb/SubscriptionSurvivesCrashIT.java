package io.jemq.store.rocksdb;

import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscription the client saw acknowledged (SUBACK) is on disk: the broker killed with SIGKILL the moment the SUBACK
 * arrives still has it after the restart, and the session gets what is published to it. The kill comes while a
 * publisher keeps the store's commit thread busy, so the SUBACK would beat the disk if it did not wait for it.
 */
class SubscriptionSurvivesCrashIT {
    private static final int KILLS = 6;
    private static final int FILTERS = 100;

    @TempDir
    Path home;

    @Test
    void subscriptionsAcknowledgedJustBeforeAKillAreThereAfterTheRestart() throws Exception {
        int port = CrashableBroker.freePort();
        Process broker = null;
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                broker = CrashableBroker.launch(home, port);
                if (kill == 0) {                       // an offline persistent session: what it is sent goes to disk
                    try (RawClient sink = RawClient.connected(port, 4, "sc-sink", false)) {
                        sink.send(Packets.subscribe(4, 1, "sc/load", 1));
                        sink.expect(Packets.SUBACK);
                    }
                }
                try (RawClient load = RawClient.connected(port, 4, "sc-load", true);
                     RawClient sub = RawClient.connected(port, 4, "sc-" + kill, false)) {
                    for (int i = 1; i <= 2000; i++) {  // QoS 1 for the sink: the commit thread has work
                        load.send(Packets.publish(4, "sc/load", 1, 1000 + i, "x".repeat(4096)));
                    }
                    sub.send(Packets.subscribe(4, 7, filters(kill), 1));
                    sub.expect(Packets.SUBACK);
                    broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            broker = CrashableBroker.launch(home, port);
            MqttClient publisher = paho("sc-pub", port, true);
            for (int kill = 0; kill < KILLS; kill++) {
                try (RawClient back = RawClient.open(port)) {
                    Packet connack = back.connect(Packets.connect(4, "sc-" + kill).clean(false));
                    assertThat(connack.sessionPresent()).as("session of kill %d", kill).isTrue();
                    String last = "sc/" + kill + "/" + (FILTERS - 1);
                    publisher.publish(last, ("after " + kill).getBytes(StandardCharsets.UTF_8), 1, false);
                    Packet p = back.expect(Packets.PUBLISH);
                    assertThat(new String(p.body(), StandardCharsets.UTF_8)).as("the last filter of kill %d", kill)
                            .endsWith("after " + kill);
                }
            }
            System.out.printf("%d kills right after a SUBACK of %d filters: every subscription back%n", KILLS,
                    FILTERS);
            publisher.disconnect();
            publisher.close();
        } finally {
            if (broker != null) {
                broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> filters(int kill) {
        return new ArrayList<>(IntStream.range(0, FILTERS).mapToObj(i -> "sc/" + kill + "/" + i).toList());
    }

    private static MqttClient paho(String id, int port, boolean clean) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(clean);
        options.setConnectionTimeout(10);
        client.connect(options);
        await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
        return client;
    }
}
