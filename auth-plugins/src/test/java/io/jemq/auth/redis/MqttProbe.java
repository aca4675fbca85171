package io.jemq.auth.redis;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.jemq.testkit.Clients;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What a user sees of an ACL through real clients: whether a SUBSCRIBE is granted (SUBACK), and whether a PUBLISH
 * reaches an observer subscribed to everything (a denied 3.1.1 publish is acknowledged and dropped). Shared by the
 * Redis and MongoDB plugin tests; called from the test's thread.
 */
public final class MqttProbe {
    private MqttProbe() {
    }

    /** Subscribes and says whether the broker granted the filter. */
    public static boolean maySubscribe(Mqtt3BlockingClient client, String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReturnCodes()
                    .get(0) != Mqtt3SubAckReturnCode.FAILURE;
        } catch (Mqtt3SubAckException e) {
            return false;                                   // the blocking client throws when every code failed
        }
    }

    /**
     * Publishes a unique payload at QoS 1 and says whether {@code observer} (subscribed to the topic, ACL-exempt) got
     * it: waiting {@link Clients#WAIT} for a delivery, {@link Clients#QUIET} after the last message for a drop.
     */
    public static boolean mayPublish(Mqtt3BlockingClient publisher, String topic,
                                     Mqtt3BlockingClient.Mqtt3Publishes observer) throws InterruptedException {
        String marker = UUID.randomUUID().toString();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(marker.getBytes(StandardCharsets.UTF_8)).send();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Clients.WAIT.toMillis());
        while (true) {
            long left = deadline - System.nanoTime();
            Optional<Mqtt3Publish> m = observer.receive(Math.min(TimeUnit.NANOSECONDS.toMillis(left),
                    Clients.QUIET.toMillis()), TimeUnit.MILLISECONDS);
            if (m.isEmpty()) {
                return false;
            }
            if (Clients.text(m.get()).equals(marker)) {
                return true;
            }
        }
    }
}
