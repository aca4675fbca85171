package io.jemq.testkit;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real clients (HiveMQ) pointed at an embedded broker (or any port on 127.0.0.1), connect helpers that report the
 * CONNACK code, and the receive helpers tests share. Called from the test's thread.
 */
public final class Clients {
    public static final Duration WAIT = Duration.ofSeconds(5);
    /** How long "nothing arrives" waits, always after a positive barrier. */
    public static final Duration QUIET = Duration.ofMillis(400);

    private Clients() {
    }

    public static Mqtt3BlockingClient v3(EmbeddedBroker b, String id) {
        return v3(b.port(), id);
    }

    public static Mqtt5BlockingClient v5(EmbeddedBroker b, String id) {
        return v5(b.port(), id);
    }

    public static Mqtt3BlockingClient v3(int port, String clientId) {
        return Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    public static Mqtt5BlockingClient v5(int port, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    /** Connects a 3.1.1 client; null user means none. @throws Mqtt3ConnAckException when refused */
    public static Mqtt3BlockingClient connect3(int port, String clientId, String user, String password) {
        Mqtt3BlockingClient c = v3(port, clientId);
        Mqtt3ConnectBuilder.Send<?> b = c.connectWith().cleanSession(true);
        if (user != null) {
            var auth = Mqtt3SimpleAuth.builder().username(user);
            if (password != null) {
                auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
            }
            b.simpleAuth(auth.build());
        }
        b.send();
        return c;
    }

    public static Mqtt5BlockingClient connect5(int port, String clientId, String user, String password) {
        Mqtt5BlockingClient c = v5(port, clientId);
        Mqtt5ConnectBuilder.Send<?> b = c.connectWith().cleanStart(true);
        if (user != null) {
            var auth = Mqtt5SimpleAuth.builder().username(user);
            if (password != null) {
                auth = auth.password(password.getBytes(StandardCharsets.UTF_8));
            }
            b.simpleAuth(auth.build());
        } else if (password != null) {
            b.simpleAuth(Mqtt5SimpleAuth.builder().password(password.getBytes(StandardCharsets.UTF_8)).build());
        }
        b.send();
        return c;
    }

    /** The 3.1.1 CONNACK return code: 0 when accepted (the client is disconnected again). */
    public static int connack3(int port, String clientId, String user, String password) {
        try {
            connect3(port, clientId, user, password).disconnect();
            return 0;
        } catch (Mqtt3ConnAckException e) {
            return e.getMqttMessage().getReturnCode().getCode();
        }
    }

    /** The 5.0 CONNACK reason code: 0 when accepted (the client is disconnected again). */
    public static int connack5(int port, String clientId, String user, String password) {
        try {
            connect5(port, clientId, user, password).disconnect();
            return 0;
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }

    public static Mqtt3BlockingClient.Mqtt3Publishes publishes(Mqtt3BlockingClient c) {
        return c.publishes(MqttGlobalPublishFilter.ALL);
    }

    public static Mqtt5BlockingClient.Mqtt5Publishes publishes(Mqtt5BlockingClient c) {
        return c.publishes(MqttGlobalPublishFilter.ALL);
    }

    public static Mqtt3Publish next(Mqtt3BlockingClient.Mqtt3Publishes p) throws InterruptedException {
        Optional<Mqtt3Publish> m = p.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within " + WAIT).isPresent();
        return m.get();
    }

    public static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        Optional<Mqtt5Publish> m = p.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(m).as("a message within " + WAIT).isPresent();
        return m.get();
    }

    public static Optional<Mqtt3Publish> quiet(Mqtt3BlockingClient.Mqtt3Publishes p) throws InterruptedException {
        return p.receive(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static Optional<Mqtt5Publish> quiet(Mqtt5BlockingClient.Mqtt5Publishes p) throws InterruptedException {
        return p.receive(QUIET.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static String text(Mqtt3Publish m) {
        return new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    public static String text(Mqtt5Publish m) {
        return new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
