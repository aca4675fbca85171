package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.sys.Counter;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** mqtt.storage.max_disk: past it an alarm is raised and new messages for persistent sessions are dropped. */
class DiskBudgetIT {
    @TempDir
    Path home;

    @Test
    void aFullStoreRaisesItsAlarmAndDropsNewMessagesForPersistentSessionsWhilePublishersAreStillAcknowledged()
            throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).set("mqtt.storage", "disk", "mqtt.storage.max_disk", "1KB")
                .controlSocket().start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "sub");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("t").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.broker().alarms().isRaised(RocksStore.ALARM));
            assertThat(b.ctl("store").output()).contains("full: true").contains("max_disk_bytes: 1024");

            long droppedBefore = b.broker().counters().get(Counter.MESSAGES_DROPPED);
            Mqtt3BlockingClient pub = Clients.v3(b, "pub");
            pub.connect();
            pub.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).payload(Clients.bytes("lost")).send();
            pub.disconnect();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> b.broker().counters().get(Counter.MESSAGES_DROPPED) > droppedBefore);
            try (var publishes = Clients.publishes(sub)) {
                sub.connectWith().cleanSession(false).send();
                assertThat(Clients.quiet(publishes)).as("dropped, not queued in memory alone").isEmpty();
            }
            sub.disconnect();
            assertThat(b.ctl("store", "compact").output()).startsWith("compacted:");
        }
    }
}
