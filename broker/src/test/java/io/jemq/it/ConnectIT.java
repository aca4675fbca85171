package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** CONNECT handling a client notices: CONNACK codes per protocol version, timeouts, limits. */
class ConnectIT {
    private static final Duration CLOSE = Duration.ofSeconds(2);

    @Test
    void unsupportedProtocolLevelGetsConnack1ThenClose() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(); RawClient c = RawClient.open(b.port())) {
            // CONNECT "MQTT" level 6, clean session, keepalive 60, empty client id
            c.send(hex("10 0c 00 04 4d 51 54 54 06 02 00 3c 00 00"));
            Packet ack = c.expect(Packets.CONNACK);
            assertThat(ack.connackCode()).isEqualTo(0x01);
            assertThat(c.closedWithin(CLOSE)).isTrue();
        }
    }

    @Test
    void mqtt31ClientWorksWithPaho() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            MqttClient paho = new MqttClient("tcp://127.0.0.1:" + b.port(), "paho31", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
            options.setCleanSession(true);
            paho.connect(options);
            BlockingQueue<MqttMessage> got = new LinkedBlockingQueue<>();
            paho.subscribe("v31/t", 1, (topic, m) -> got.add(m));
            paho.publish("v31/t", Clients.bytes("hello 3.1"), 1, false);
            MqttMessage m = got.poll(5, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(new String(m.getPayload())).isEqualTo("hello 3.1");
            assertThat(m.getQos()).isEqualTo(1);
            paho.disconnect();
            paho.close();
        }
    }

    @Test
    void mqtt31EmptyClientIdIsRejected() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(); RawClient c = RawClient.open(b.port())) {
            assertThat(c.connect(connect(3, "")).connackCode()).isEqualTo(0x02);
            assertThat(c.closedWithin(CLOSE)).isTrue();
        }
    }

    @Test
    void emptyClientIdWithCleanSessionIsAccepted() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(); RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(connect(4, "").clean(true));
            assertThat(ack.connackCode()).isZero();
            assertThat(ack.sessionPresent()).isFalse();
            c.send(Packets.pingreq());
            c.expect(Packets.PINGRESP);
        }
    }

    @Test
    void emptyClientIdWithoutCleanSessionIsRejectedWith2() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start(); RawClient c = RawClient.open(b.port())) {
            assertThat(c.connect(connect(4, "").clean(false)).connackCode()).isEqualTo(0x02);
            assertThat(c.closedWithin(CLOSE)).isTrue();
        }
    }

    @Test
    void clientIdLongerThanMaxIsRejected() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_clientid_len", "10")) {
            try (RawClient ok = RawClient.open(b.port())) {
                assertThat(ok.connect(connect(4, "0123456789")).connackCode()).isZero();
            }
            try (RawClient v311 = RawClient.open(b.port())) {
                assertThat(v311.connect(connect(4, "0123456789a")).connackCode()).isEqualTo(0x02);
                assertThat(v311.closedWithin(CLOSE)).isTrue();
            }
            try (RawClient v5 = RawClient.open(b.port())) {
                assertThat(v5.connect(connect(5, "0123456789a")).connackCode()).isEqualTo(0x85);
                assertThat(v5.closedWithin(CLOSE)).isTrue();
            }
        }
    }

    @Test
    void mqtt5EmptyClientIdGetsAssignedIdentifier() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient c = Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(b.port())
                    .buildBlocking();
            Mqtt5ConnAck ack = c.connect();
            assertThat(ack.getAssignedClientIdentifier()).isPresent();
            assertThat(ack.getAssignedClientIdentifier().get().toString()).isNotBlank();
            c.disconnect();

            try (RawClient raw = RawClient.open(b.port())) {
                Packet rawAck = raw.connect(connect(5, ""));
                assertThat(rawAck.connackCode()).isZero();
                Object assigned = Packet.first(rawAck.connackProperties(), Packets.Props.ASSIGNED_CLIENT_ID);
                assertThat(assigned).isInstanceOf(String.class);
                assertThat((String) assigned).isNotEmpty().isNotEqualTo(ack.getAssignedClientIdentifier().get()
                        .toString());
            }
        }
    }

    @Test
    void aConnectTrickledByteByByteMustStillArriveWithinTheIdleTimeout() throws Exception {
        // every byte used to reset the timer: a peer sending one byte at a time held its socket for ever
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.client.idle_timeout", "1s");
             RawClient c = RawClient.open(b.port())) {
            byte[] connect = connect(4, "trickle").bytes();
            var pacer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try {
                // paced, not synchronised: one byte every 200 ms would take far longer than the timeout
                for (int i = 0; i < connect.length; i++) {
                    byte[] one = {connect[i]};
                    pacer.schedule(() -> c.sendQuietly(one), 200L * i, TimeUnit.MILLISECONDS);
                }
                long start = System.nanoTime();
                assertThat(c.closedWithin(Duration.ofSeconds(3))).as("closed by the broker").isTrue();
                assertThat((System.nanoTime() - start) / 1_000_000).as("after about the idle timeout")
                        .isBetween(800L, 2500L);
            } finally {
                pacer.shutdownNow();
            }
        }
    }

    @Test
    void socketThatNeverSendsConnectIsClosedAfterIdleTimeout() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.client.idle_timeout", "1s");
             RawClient c = RawClient.open(b.port())) {
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed by the broker").isTrue();
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMillis).as("not closed before the idle timeout").isGreaterThanOrEqualTo(800);
        }
    }

    @Test
    void firstPacketOtherThanConnectClosesTheConnection() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            try (RawClient c = RawClient.open(b.port())) {
                c.send(Packets.pingreq());
                assertThat(c.lastPacketBeforeClose(CLOSE)).as("no reply, just a close").isEmpty();
            }
            try (RawClient c = RawClient.open(b.port())) {
                c.send(Packets.subscribe(4, 1, "a/b", 0));
                assertThat(c.lastPacketBeforeClose(CLOSE)).as("no SUBACK, just a close").isEmpty();
            }
        }
    }

    @Test
    void secondConnectClosesTheConnection() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), 4, "twice", true)) {
            c.send(connect(4, "twice").bytes());
            assertThat(c.lastPacketBeforeClose(CLOSE)).as("no second CONNACK").isEmpty();
        }
    }

    @Test
    void anonymousRefusedWithoutAuthModule() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.allow_anonymous", "false")) {
            try (RawClient c = RawClient.open(b.port())) {
                assertThat(c.connect(connect(4, "anon3")).connackCode()).isEqualTo(0x05);
                assertThat(c.closedWithin(CLOSE)).isTrue();
            }
            try (RawClient c = RawClient.open(b.port())) {
                assertThat(c.connect(connect(5, "anon5")).connackCode()).isEqualTo(0x87);
                assertThat(c.closedWithin(CLOSE)).isTrue();
            }
        }
    }

    @Test
    void listenerMaxClientsClosesConnectionsBeyondTheLimit() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("listener.tcp.external.max_clients", "2");
             RawClient first = RawClient.connected(b.port(), 4, "mc1", true);
             RawClient second = RawClient.connected(b.port(), 4, "mc2", true)) {
            try (RawClient third = RawClient.open(b.port())) {
                third.sendQuietly(connect(4, "mc3").bytes());
                assertThat(third.lastPacketBeforeClose(CLOSE)).as("closed without CONNACK").isEmpty();
            }
            first.close();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                try (RawClient again = RawClient.open(b.port())) {
                    assertThat(again.connect(connect(4, "mc3")).connackCode()).isZero();
                }
            });
            second.send(Packets.pingreq());
            second.expect(Packets.PINGRESP);
        }
    }

    @Test
    void everyConfiguredTcpListenerServesTheSameBroker() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("listener.tcp.internal", "127.0.0.1:0")) {
            int internal = b.broker().boundPort("tcp.internal");
            assertThat(internal).isNotEqualTo(b.port());
            try (RawClient sub = RawClient.connected(internal, 4, "on-internal", true);
                 RawClient pub = RawClient.connected(b.port(), 4, "on-external", true)) {
                sub.send(Packets.subscribe(4, 1, "across/t", 0));
                sub.expect(Packets.SUBACK);
                pub.send(Packets.publish(4, "across/t", 1, 1, "between listeners"));
                pub.expect(Packets.PUBACK);
                assertThat(sub.expect(Packets.PUBLISH).payload()).isEqualTo("between listeners");
            }
        }
    }

    @Test
    void brokerShutdownTellsMqtt5ClientsWhy() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient v5 = RawClient.connected(b.port(), 5, "told", true);
             RawClient v311 = RawClient.connected(b.port(), 4, "not-told", true)) {
            b.close();
            Packet last = v5.lastPacketBeforeClose(CLOSE).orElseThrow(() -> new AssertionError("no DISCONNECT"));
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x8B);
            assertThat(v311.lastPacketBeforeClose(CLOSE)).as("3.1.1 has no server DISCONNECT").isEmpty();
        }
    }

    static byte[] hex(String s) {
        String[] parts = s.trim().split("\\s+");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }
}
