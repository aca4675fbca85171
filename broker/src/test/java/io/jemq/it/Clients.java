package io.jemq.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real clients (HiveMQ) pointed at an embedded broker, and the receive helpers tests share. */
final class Clients {
    static final Duration WAIT = Duration.ofSeconds(5);
    /** How long "nothing arrives" waits, always after a positive barrier. */
    static final Duration QUIET = Duration.ofMillis(400);

    private Clients() {
    }

    static Mqtt3BlockingClient v3(EmbeddedBroker b, String id) {
        return Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port()).buildBlocking();
    }

    static Mqtt5BlockingClient v5(EmbeddedBroker b, String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(b.port()).buildBlocking();
    }

    static Mqtt3BlockingClient.Mqtt3Publishes publishes(Mqtt3BlockingClient c) {
        return c.publishes(MqttGlobalPublishFilter.ALL);
    }

    static Mqtt5BlockingClient.Mqtt5Publishes publishes(Mqtt5BlockingClient c) {
        return c.publishes(MqttGlobalPublishFilter.ALL);
    }

    static Mqtt3Publish next(Mqtt3BlockingClient.Mqtt3Publishes p) throws InterruptedException {
        Optional<Mqtt3Publish> m = p.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within " + WAIT).isPresent();
        return m.get();
    }

    static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        Optional<Mqtt5Publish> m = p.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within " + WAIT).isPresent();
        return m.get();
    }

    static Optional<Mqtt3Publish> quiet(Mqtt3BlockingClient.Mqtt3Publishes p) throws InterruptedException {
        return p.receive(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Optional<Mqtt5Publish> quiet(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        return p.receive(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    }

    static String text(Mqtt3Publish m) {
        return new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    static String text(Mqtt5Publish m) {
        return new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
