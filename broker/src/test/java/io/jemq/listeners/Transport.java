package io.jemq.listeners;

import io.jemq.testkit.TestPki;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The four ways to carry MQTT that a broker can offer, each on its own listener of the test broker. */
enum Transport {
    TCP("tcp", false, false),
    TLS("ssl", true, false),
    WS("ws", false, true),
    WSS("wss", true, true);

    final String protocol;
    final boolean tls;
    final boolean webSocket;

    Transport(String protocol, boolean tls, boolean webSocket) {
        this.protocol = protocol;
        this.tls = tls;
        this.webSocket = webSocket;
    }

    /** The listener's id in the broker that {@link #allFour} configures. */
    String listenerId() {
        return protocol + ".test";
    }

    /** Listener keys for all four on 127.0.0.1:0, the TLS ones with the PKI's server certificate. */
    static Map<String, String> allFour(TestPki pki) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (Transport t : values()) {
            String key = "listener." + t.listenerId();
            conf.put(key, "127.0.0.1:0");
            if (t.tls) {
                conf.put(key + ".keyfile", path(pki.server.keyFile()));
                conf.put(key + ".certfile", path(pki.server.certFile()));
            }
        }
        return conf;
    }

    /** A HiveMQ client builder set up for this transport against the broker's listener. */
    MqttClientBuilder hivemq(ListenerBroker broker, TestPki pki, String clientId) {
        MqttClientBuilder b = MqttClient.builder().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(broker.port(listenerId()));
        if (tls) {
            b = b.sslConfig().trustManagerFactory(pki.trust()).applySslConfig();
        }
        if (webSocket) {
            b = b.webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
        }
        return b;
    }

    private static String path(Path p) {
        return p.toAbsolutePath().toString();
    }
}
