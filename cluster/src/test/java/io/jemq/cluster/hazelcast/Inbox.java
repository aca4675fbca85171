package io.jemq.cluster.hazelcast;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real MQTT 5 client connected to one node that keeps every message it receives ({@code topic payload}). */
final class Inbox implements AutoCloseable {
    final Mqtt5AsyncClient client;
    final List<String> received = new CopyOnWriteArrayList<>();
    /** What the CONNACK said. */
    final boolean sessionPresent;

    Inbox(ClusterNode node, String clientId, boolean cleanStart) throws Exception {
        client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(node.mqttPort)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(p.getTopic() + " "
                + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        sessionPresent = client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(cleanStart ? 0 : 3600)
                .send().get(10, TimeUnit.SECONDS).isSessionPresent();
    }

    Inbox subscribe(String filter, int qos) throws Exception {
        client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send().get(10, TimeUnit.SECONDS);
        return this;
    }

    /** The received messages on topics starting with {@code prefix}, without the probes. */
    List<String> on(String prefix) {
        return received.stream().filter(m -> m.startsWith(prefix) && !m.contains("probe")).toList();
    }

    boolean got(String message) {
        return received.contains(message);
    }

    @Override
    public void close() {
        client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
