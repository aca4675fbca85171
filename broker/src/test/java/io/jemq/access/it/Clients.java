package io.jemq.access.it;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;

import java.nio.charset.StandardCharsets;

/** Real MQTT clients (HiveMQ) for access tests. */
final class Clients {
    private Clients() {
    }

    static Mqtt3BlockingClient v3(int port, String clientId) {
        return Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static Mqtt5BlockingClient v5(int port, String clientId) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    /** Connects a 3.1.1 client; null user means none. @throws Mqtt3ConnAckException when refused */
    static Mqtt3BlockingClient connect3(int port, String clientId, String user, String password) {
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

    static Mqtt5BlockingClient connect5(int port, String clientId, String user, String password) {
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
    static int connack3(int port, String clientId, String user, String password) {
        try {
            connect3(port, clientId, user, password).disconnect();
            return 0;
        } catch (Mqtt3ConnAckException e) {
            return e.getMqttMessage().getReturnCode().getCode();
        }
    }

    /** The 5.0 CONNACK reason code: 0 when accepted (the client is disconnected again). */
    static int connack5(int port, String clientId, String user, String password) {
        try {
            connect5(port, clientId, user, password).disconnect();
            return 0;
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode().getCode();
        }
    }
}
