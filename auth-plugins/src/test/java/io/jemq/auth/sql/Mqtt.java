package io.jemq.auth.sql;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;

/** What the SQL plugins' tests ask real MQTT clients (HiveMQ 5.0, Paho 3.1.1): the codes the broker answers. */
final class Mqtt {
    private Mqtt() {
    }

    /**
     * The PUBACK reason code of a QoS 1 publish: 0 when accepted (also for "no matching subscribers", 0x10), 0x87
     * when the ACL denied it.
     */
    static int puback(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5PublishResult r = c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("m".getBytes(StandardCharsets.UTF_8)).send();
            int code = r instanceof Mqtt5PublishResult.Mqtt5Qos1Result q ? q.getPubAck().getReasonCode().getCode() : 0;
            return code < 0x80 ? 0 : code;
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    /** The SUBACK reason code of one filter: 0 to 2 when granted, 0x87 when the ACL denied it. */
    static int suback(Mqtt5BlockingClient c, String filter) {
        try {
            return c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0)
                    .getCode();
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes().get(0).getCode();
        }
    }

    /** A Paho (3.1.1) client connected with this username and password. @throws MqttException when refused */
    static MqttClient paho(int port, String clientId, String user, String password) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setUserName(user);
        o.setPassword(password.toCharArray());
        o.setConnectionTimeout(10);
        c.connect(o);
        return c;
    }

    /** The granted QoS a 3.1.1 SUBACK gives one filter: 0 to 2, or 128 (0x80) when denied. */
    static int granted(MqttClient c, String filter) throws MqttException {
        return c.subscribeWithResponse(filter, 1).getGrantedQos()[0];
    }
}
