package io.jemq.mgmt.sys;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code $SYS/brokers} names every node of the cluster, comma-joined, as EMQ does: this node alone by itself, the
 * members once the cluster module answers through the broker's membership seam.
 */
class SysBrokersIT {
    @Test
    void aNodeAloneNamesItselfAndAClusterNodeNamesEveryMember() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.builder().set("node.name", "jemq@10.0.0.1",
                "mqtt.broker.sys_interval", "200ms").start()) {
            Mqtt3BlockingClient watcher = Clients.connect3(b.port(), "brokers-watcher", null, null);
            try (var publishes = Clients.publishes(watcher)) {
                watcher.subscribeWith().topicFilter("$SYS/brokers").qos(MqttQos.AT_MOST_ONCE).send();
                assertThat(Clients.text(Clients.next(publishes))).isEqualTo("jemq@10.0.0.1");

                // what the cluster module registers at start: its members, oldest first
                b.broker().cluster().members(() -> List.of("jemq@10.0.0.1", "jemq@10.0.0.2", "jemq@10.0.0.3"));
                String latest;
                do {
                    latest = Clients.text(Clients.next(publishes));
                } while (!latest.contains(","));
                assertThat(latest).isEqualTo("jemq@10.0.0.1,jemq@10.0.0.2,jemq@10.0.0.3");
            } finally {
                watcher.disconnect();
            }
        }
    }
}
