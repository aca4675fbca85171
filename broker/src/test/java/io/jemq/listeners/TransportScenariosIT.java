package io.jemq.listeners;

import io.jemq.testkit.TestPki;
import io.jemq.testkit.Tools;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same MQTT scenarios over TCP, TLS, WebSocket and secure WebSocket, with real clients: the HiveMQ client over
 * all four, Paho over TCP, TLS and WS, and {@code mosquitto_pub --cafile} over TLS.
 */
class TransportScenariosIT {
    @TempDir
    static Path dir;
    static TestPki pki;
    static ListenerBroker broker;

    @BeforeAll
    static void start() {
        pki = new TestPki(dir, "scenarios");
        broker = ListenerBroker.start(Transport.allFour(pki));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectsWithMqtt311And50(Transport t) {
        Mqtt3BlockingClient v3 = t.hivemq(broker, pki, "connect3-" + t).useMqttVersion3().buildBlocking();
        assertThat(v3.connect().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
        v3.disconnect();

        Mqtt5BlockingClient v5 = t.hivemq(broker, pki, "connect5-" + t).useMqttVersion5().buildBlocking();
        assertThat(v5.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        v5.disconnect();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void publishesAndDeliversAtEveryQos(Transport t) throws Exception {
        String topic = "scenario/" + t + "/qos";
        Mqtt3BlockingClient sub = connected3(t, "sub-" + t);
        Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
        sub.subscribeWith().topicFilter(topic + "/+").qos(MqttQos.EXACTLY_ONCE).send();
        Mqtt3BlockingClient pub = connected3(t, "pub-" + t);

        for (int qos = 0; qos <= 2; qos++) {
            pub.publishWith().topic(topic + "/" + qos).qos(MqttQos.fromCode(qos))
                    .payload(("m" + qos).getBytes(StandardCharsets.UTF_8)).send();
            var m = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(m.getTopic().toString()).isEqualTo(topic + "/" + qos);
            assertThat(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("m" + qos);
            assertThat(m.getQos().getCode()).isEqualTo(qos);
        }
        pub.disconnect();
        sub.disconnect();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void largeMessagesCrossRecordAndFrameBoundaries(Transport t) throws Exception {
        String topic = "scenario/" + t + "/large";
        Mqtt3BlockingClient sub = connected3(t, "bigsub-" + t);
        Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt3BlockingClient pub = connected3(t, "bigpub-" + t);
        byte[] payload = new byte[60_000];
        Arrays.fill(payload, (byte) 'x');
        payload[payload.length - 1] = 'z';

        for (int i = 0; i < 5; i++) {
            pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
        }
        for (int i = 0; i < 5; i++) {
            assertThat(publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).isEqualTo(payload);
        }
        pub.disconnect();
        sub.disconnect();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void retainedMessageReachesALaterSubscriber(Transport t) throws Exception {
        String topic = "scenario/" + t + "/retained";
        Mqtt3BlockingClient pub = connected3(t, "rpub-" + t);
        pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("kept".getBytes(StandardCharsets.UTF_8)).send();
        pub.disconnect();

        Mqtt3BlockingClient sub = connected3(t, "rsub-" + t);
        Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
        sub.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        var m = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(m.isRetain()).isTrue();
        assertThat(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
        sub.disconnect();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void willIsPublishedWhenTheClientLeavesWithIt(Transport t) throws Exception {
        String topic = "scenario/" + t + "/will";
        Mqtt5BlockingClient watcher = t.hivemq(broker, pki, "watcher-" + t).useMqttVersion5().buildBlocking();
        watcher.connect();
        Mqtt5BlockingClient.Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

        Mqtt5BlockingClient dying = t.hivemq(broker, pki, "dying-" + t).useMqttVersion5().buildBlocking();
        dying.connectWith().willPublish().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("gone".getBytes(StandardCharsets.UTF_8)).applyWillPublish().send();
        dying.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        Mqtt5Publish will = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(new String(will.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
        watcher.disconnect();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"TCP", "TLS", "WS"})
    void pahoPublishesAndReceives(Transport t) throws Exception {
        String topic = "scenario/" + t + "/paho";
        MqttClient paho = new MqttClient(pahoUri(t), "paho-" + t, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (t.tls) {
            options.setSocketFactory(pki.sslContext(null).getSocketFactory());
        }
        paho.connect(options);
        BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();
        IMqttMessageListener listener = (topicName, message) -> received.add(message);
        paho.subscribe(topic, 1, listener);

        paho.publish(topic, "from paho".getBytes(StandardCharsets.UTF_8), 1, false);
        MqttMessage m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(new String(m.getPayload(), StandardCharsets.UTF_8)).isEqualTo("from paho");

        paho.publish(topic + "/r", "retained by paho".getBytes(StandardCharsets.UTF_8), 1, true);
        Mqtt3BlockingClient hive = connected3(t, "paho-peer-" + t);
        Mqtt3BlockingClient.Mqtt3Publishes publishes = hive.publishes(MqttGlobalPublishFilter.ALL);
        hive.subscribeWith().topicFilter(topic + "/r").qos(MqttQos.AT_LEAST_ONCE).send();
        assertThat(new String(publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                StandardCharsets.UTF_8)).isEqualTo("retained by paho");
        hive.disconnect();
        paho.disconnect();
        paho.close();
    }

    @Test
    void mosquittoPubOverTlsWithTheCaFile() throws Exception {
        assumeTrue(Tools.onPath("mosquitto_pub"), "mosquitto_pub is not installed (Debian package mosquitto-clients)");
        Transport t = Transport.TLS;
        Mqtt3BlockingClient sub = connected3(t, "mosq-sub");
        Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL);
        sub.subscribeWith().topicFilter("scenario/mosquitto/tls").qos(MqttQos.AT_LEAST_ONCE).send();

        Tools.Result r = Tools.run("mosquitto_pub", "-h", "127.0.0.1",
                "-p", String.valueOf(broker.port(t.listenerId())), "--cafile", pki.ca.certFile().toString(),
                "-q", "1", "-t", "scenario/mosquitto/tls", "-m", "via openssl");

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(new String(publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(),
                StandardCharsets.UTF_8)).isEqualTo("via openssl");
        sub.disconnect();
    }

    private static Mqtt3BlockingClient connected3(Transport t, String id) {
        Mqtt3BlockingClient c = t.hivemq(broker, pki, id).useMqttVersion3().buildBlocking();
        c.connect();
        return c;
    }

    private static String pahoUri(Transport t) {
        int port = broker.port(t.listenerId());
        return switch (t) {
            case TCP -> "tcp://127.0.0.1:" + port;
            case TLS -> "ssl://127.0.0.1:" + port;
            case WS -> "ws://127.0.0.1:" + port + "/mqtt";
            case WSS -> "wss://127.0.0.1:" + port + "/mqtt";
        };
    }
}
