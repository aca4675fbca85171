package io.jemq.listeners;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client may send packets right after CONNECT without waiting for CONNACK, so one read (or one WebSocket frame) can
 * hold several: they must wait for the CONNECT's authentication, then be handled in order.
 */
class PipelinedPacketsIT {
    /** Answers after a while, as a database or HTTP backend would. */
    private static Authenticator slow(AuthResult answer) {
        return new Authenticator() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                return CompletableFuture.supplyAsync(() -> answer,
                        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
            }
        };
    }

    @Test
    void packetsSentWithTheConnectAreHandledAfterItsAuthentication() throws Exception {
        try (ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0");
             Socket s = new Socket("127.0.0.1", b.port("tcp.test"))) {
            b.broker().auth().setSources(List.of(slow(AuthResult.allow(false))));
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Packets.concat(Packets.connect(4, "eager").keepAlive(60).bytes(),
                    Packets.subscribe(4, 1, "eager/t", 0), Packets.publish(4, "eager/t", "to myself".getBytes())));

            InputStream in = s.getInputStream();
            assertThat(Packets.read(in).type()).isEqualTo(2);                 // CONNACK
            assertThat(Packets.read(in).type()).isEqualTo(9);                 // SUBACK
            Packet publish = Packets.read(in);
            assertThat(publish.type()).isEqualTo(3);
            assertThat(publish.bodyText()).endsWith("eager/tto myself");
        }
    }

    @Test
    void aPublishSentWithARefusedConnectIsNeverRouted() throws Exception {
        try (ListenerBroker b = ListenerBroker.start("listener.tcp.test", "127.0.0.1:0")) {
            Mqtt3BlockingClient watcher = MqttClient.builder().identifier("watcher").serverHost("127.0.0.1")
                    .serverPort(b.port("tcp.test")).useMqttVersion3().buildBlocking();
            watcher.connect();
            Mqtt3BlockingClient.Mqtt3Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL);
            watcher.subscribeWith().topicFilter("alarm/#").qos(MqttQos.AT_MOST_ONCE).send();
            b.broker().auth().setSources(List.of(slow(AuthResult.deny("bad password"))));

            try (Socket intruder = new Socket("127.0.0.1", b.port("tcp.test"))) {
                intruder.setSoTimeout(10_000);
                intruder.getOutputStream().write(Packets.concat(Packets.connect(4, "intruder").keepAlive(60).bytes(),
                        Packets.publish(4, "alarm/off", "unauthenticated".getBytes())));
                Packet connack = Packets.read(intruder.getInputStream());
                assertThat(connack.type()).isEqualTo(2);
                assertThat(connack.body()[1]).as("return code").isNotZero();
            }
            b.broker().auth().setSources(List.of());
            Mqtt3BlockingClient honest = MqttClient.builder().identifier("honest").serverHost("127.0.0.1")
                    .serverPort(b.port("tcp.test")).useMqttVersion3().buildBlocking();
            honest.connect();
            honest.publishWith().topic("alarm/marker").qos(MqttQos.AT_LEAST_ONCE).send();

            assertThat(seen.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString())
                    .isEqualTo("alarm/marker");
        }
    }

    @Test
    void overWebSocketAConnectAndItsFollowersCanShareOneFrame() throws Exception {
        try (ListenerBroker b = ListenerBroker.start("listener.ws.test", "127.0.0.1:0");
             RawWebSocket c = RawWebSocket.upgrade(b.port("ws.test"), "/mqtt", "mqtt", Map.of())) {
            b.broker().auth().setSources(List.of(slow(AuthResult.allow(false))));
            c.sendBinary(Packets.concat(Packets.connect(4, "one-frame").keepAlive(60).bytes(),
                    Packets.subscribe(4, 1, "ws/one", 0), Packets.publish(4, "ws/one", "all in one".getBytes())));

            InputStream mqtt = c.mqtt();
            assertThat(Packets.read(mqtt).type()).isEqualTo(2);
            assertThat(Packets.read(mqtt).type()).isEqualTo(9);
            assertThat(Packets.read(mqtt).bodyText()).endsWith("ws/oneall in one");
        }
    }
}
