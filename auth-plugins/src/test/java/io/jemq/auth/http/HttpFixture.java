package io.jemq.auth.http;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.jemq.api.LiveSettings;
import io.jemq.testkit.EmbeddedBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the HTTP plugin's tests share: the plugin's live settings, and a publish that reports its PUBACK code. */
final class HttpFixture {
    static final String PLUGIN = "emq_auth_http";

    private HttpFixture() {
    }

    /** The plugin's settings handle, as management reaches it: through the broker, by name. */
    static LiveSettings live(EmbeddedBroker b) {
        return b.broker().plugins().liveSettings(PLUGIN).orElseThrow();
    }

    static void update(EmbeddedBroker b, String... keyValues) {
        Map<String, String> changes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            changes.put(keyValues[i], keyValues[i + 1]);
        }
        live(b).update(changes);
    }

    /**
     * A QoS 1 publish from an MQTT 5 client: 0 when accepted (PUBACK 0x00, or 0x10 "no matching subscribers"),
     * otherwise the PUBACK's reason code (0x87 denied).
     */
    static int publish(Mqtt5BlockingClient c, String topic) {
        int code;
        try {
            Mqtt5PublishResult r = c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("x".getBytes(StandardCharsets.UTF_8)).send();
            code = ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode().getCode();
        } catch (Mqtt5PubAckException e) {
            code = e.getMqttMessage().getReasonCode().getCode();          // the blocking client throws for an error
        }
        return code < 0x80 ? 0 : code;
    }

    /** A Paho 3.1.1 client subscribes to one filter: the SUBACK's code (1 granted at QoS 1, 0x80 refused). */
    static int subscribeCode(int port, String clientId, String user, String filter) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(user);
        o.setPassword("pw".toCharArray());
        c.connect(o);
        try {
            return c.subscribeWithResponse(new String[]{filter}, new int[]{1}).getGrantedQos()[0];
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
                return 0x80;                          // Paho throws for a single refused filter
            }
            throw e;
        } finally {
            c.disconnect();
            c.close();
        }
    }

    /** How much each counter grew from {@code before} to {@code after}. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        return out;
    }

    /** The plugin's counters by name. */
    static Map<String, Long> counters(EmbeddedBroker b) {
        return b.broker().plugins().metrics(PLUGIN);
    }
}
