package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping the broker releases what persistent sessions hold, so an embedding application leaks no buffers. */
class ShutdownIT {
    @Test
    void closeEndsPersistentSessionsAndTheirQueues() throws Exception {
        EmbeddedBroker b = EmbeddedBroker.start();
        try {
            var sub = Clients.v3(b, "keeper");
            sub.connectWith().cleanSession(false).send();
            sub.subscribeWith().topicFilter("keep/#").qos(MqttQos.AT_LEAST_ONCE).send();
            sub.disconnect();
            var pub = Clients.v3(b, "filler");
            pub.connect();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("keep/" + i).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[2048]).send();
            }
            pub.disconnect();
            org.awaitility.Awaitility.await().untilAsserted(
                    () -> assertThat(b.broker().sessions().get("keeper").figures().queued()).isEqualTo(5));
        } finally {
            b.close();
        }
        assertThat(b.broker().sessions().size()).isZero();
    }
}
