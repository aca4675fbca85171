package io.jemq.it;

import io.jemq.testkit.EmbeddedBroker;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeIT {
    @Test
    void publishedMessageReachesSubscriber() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Mqtt3Client.builder().identifier("sub").serverHost("127.0.0.1")
                    .serverPort(b.port()).buildBlocking();
            sub.connect();
            var publishes = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
            sub.subscribeWith().topicFilter("a/+").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = Mqtt3Client.builder().identifier("pub").serverHost("127.0.0.1")
                    .serverPort(b.port()).buildBlocking();
            pub.connect();
            for (int q = 0; q < 3; q++) {
                pub.publishWith().topic("a/b").qos(MqttQos.fromCode(q)).payload(("m" + q).getBytes()).send();
                var m = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertThat(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("m" + q);
                assertThat(m.getQos().getCode()).isEqualTo(q);
            }
            pub.disconnect();
            sub.disconnect();
        }
    }
}
