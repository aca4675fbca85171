package io.jemq.listeners;

import io.jemq.api.ClientInfo;
import io.jemq.sys.ListenerCounter;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT over WebSocket at the byte level: the upgrade's answers, frames split and coalesced, control frames. */
class WebSocketListenerIT {
    private static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};

    private static ListenerBroker ws(String... more) {
        Map<String, String> conf = ListenerBroker.conf("listener.ws.test", "127.0.0.1:0");
        conf.putAll(ListenerBroker.conf(more));
        return ListenerBroker.start(conf);
    }

    private static RawWebSocket upgrade(ListenerBroker b, String path, String subprotocol) throws Exception {
        return RawWebSocket.upgrade(b.port("ws.test"), path, subprotocol, Map.of());
    }

    @Test
    void anotherPathIsNotFound() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/other", "mqtt")) {
            assertThat(c.status).isEqualTo(404);
            assertThat(b.counted("ws.test", ListenerCounter.WEBSOCKET_UPGRADE_FAILURES)).isEqualTo(1);
        }
    }

    @Test
    void aSubprotocolOtherThanMqttIsABadWebSocketProtocol() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "chat")) {
            assertThat(c.status).isEqualTo(400);
            assertThat(c.body).isEqualTo("Bad WebSocket Protocol");
            assertThat(b.counted("ws.test", ListenerCounter.WEBSOCKET_UPGRADE_FAILURES)).isEqualTo(1);
        }
    }

    @Test
    void noSubprotocolIsRefusedUnlessTheProtocolHeaderCheckIsOff() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", null)) {
            assertThat(c.status).isEqualTo(400);
        }
        try (ListenerBroker b = ws("mqtt.websocket_protocol_header", "off");
             RawWebSocket c = upgrade(b, "/mqtt", null)) {
            assertThat(c.status).isEqualTo(101);
            c.sendBinary(Packets.connect(4, "no-subprotocol").keepAlive(60).bytes());
            assertThat(c.mqtt().readNBytes(4)).isEqualTo(CONNACK_ACCEPTED);
        }
    }

    @Test
    void everySubprotocolStartingWithMqttIsAcceptedAndEchoed() throws Exception {
        try (ListenerBroker b = ws()) {
            for (String p : new String[]{"mqtt", "mqttv3.1", "mqttv3.1.1", "mqtt-v3.1.1"}) {
                try (RawWebSocket c = upgrade(b, "/mqtt", p)) {
                    assertThat(c.status).isEqualTo(101);
                    assertThat(c.headers.get("sec-websocket-protocol")).isEqualTo(p);
                }
            }
            try (RawWebSocket c = upgrade(b, "/mqtt", "chat, mqtt")) {
                assertThat(c.status).isEqualTo(101);
                assertThat(c.headers.get("sec-websocket-protocol")).isEqualTo("mqtt");
            }
        }
    }

    @Test
    void thePathIsConfigurable() throws Exception {
        try (ListenerBroker b = ws("listener.ws.test.mqtt_path", "/broker/ws")) {
            try (RawWebSocket c = upgrade(b, "/broker/ws", "mqtt")) {
                assertThat(c.status).isEqualTo(101);
            }
            try (RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
                assertThat(c.status).isEqualTo(404);
            }
        }
    }

    @Test
    void onePacketSplitOverSeveralFrames() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            byte[] connect = Packets.connect(4, "fragmented").keepAlive(60).bytes();
            c.send(RawWebSocket.BINARY, false, Arrays.copyOfRange(connect, 0, 3));
            c.send(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(connect, 3, 9));
            c.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(connect, 9, connect.length));

            assertThat(c.mqtt().readNBytes(4)).isEqualTo(CONNACK_ACCEPTED);
        }
    }

    @Test
    void onePacketOverSeveralMessages() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            byte[] connect = Packets.connect(4, "split-messages").keepAlive(60).bytes();
            c.sendBinary(Arrays.copyOfRange(connect, 0, 5));
            c.sendBinary(Arrays.copyOfRange(connect, 5, connect.length));

            assertThat(c.mqtt().readNBytes(4)).isEqualTo(CONNACK_ACCEPTED);
        }
    }

    @Test
    void severalPacketsInOneFrame() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            c.sendBinary(Packets.connect(4, "coalesced").keepAlive(60).bytes());
            InputStream mqtt = c.mqtt();
            assertThat(mqtt.readNBytes(4)).isEqualTo(CONNACK_ACCEPTED);

            c.sendBinary(Packets.concat(
                    Packets.subscribe(4, 1, "ws/coalesced", 0),
                    Packets.publish(4, "ws/coalesced", "in one frame".getBytes()),
                    Packets.pingreq()));

            assertThat(Packets.read(mqtt).type()).isEqualTo(9);           // SUBACK
            // the PUBLISH comes through the session's inbox, so the PINGRESP may overtake it
            List<Packet> next = List.of(Packets.read(mqtt), Packets.read(mqtt));
            assertThat(next).extracting(Packet::type).containsExactlyInAnyOrder(3, 13);
            assertThat(next).filteredOn(p -> p.type() == 3).singleElement()
                    .satisfies(p -> assertThat(p.bodyText()).endsWith("ws/coalescedin one frame"));
        }
    }

    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            c.send(RawWebSocket.PING, true, "are you there".getBytes());

            RawWebSocket.Frame pong = c.read();
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(new String(pong.payload())).isEqualTo("are you there");
        }
    }

    @Test
    void aTextFrameClosesTheConnection() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            c.sendBinary(Packets.connect(4, "texter").keepAlive(60).bytes());
            assertThat(c.mqtt().readNBytes(4)).isEqualTo(CONNACK_ACCEPTED);

            c.send(RawWebSocket.TEXT, true, "hello".getBytes());

            RawWebSocket.Frame f = c.read();
            assertThat(f.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(c.read()).isNull();
        }
    }

    @Test
    void aCloseFrameIsEchoedAndTheConnectionCloses() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = upgrade(b, "/mqtt", "mqtt")) {
            c.send(RawWebSocket.CLOSE, true, new byte[]{0x03, (byte) 0xE8});

            assertThat(c.read().opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(c.read()).isNull();
        }
    }

    @Test
    void theUpgradeRequestsHeadersAndCookiesReachTheAuthChain() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = RawWebSocket.upgrade(b.port("ws.test"), "/mqtt", "mqtt",
                Map.of("Cookie", "session=abc123; theme=dark", "X-Api-Key", "k-42"))) {
            c.sendBinary(Packets.connect(4, "cookie-monster").keepAlive(60).bytes());

            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.cookies()).containsEntry("session", "abc123").containsEntry("theme", "dark");
            assertThat(seen.httpHeaders()).containsEntry("x-api-key", "k-42").containsKey("sec-websocket-key");
            assertThat(seen.listenerId()).isEqualTo("ws.test");
        }
    }

    @Test
    void behindAProxyTheForwardedAddressIsTheClients() throws Exception {
        Map<String, String> forwarded = Map.of("X-Forwarded-For", "203.0.113.9, 10.0.0.1", "X-Forwarded-Port", "4711");
        try (ListenerBroker b = ws("listener.ws.test.proxy_address_header", "X-Forwarded-For",
                "listener.ws.test.proxy_port_header", "X-Forwarded-Port");
             RawWebSocket c = RawWebSocket.upgrade(b.port("ws.test"), "/mqtt", "mqtt", forwarded)) {
            c.sendBinary(Packets.connect(4, "proxied").keepAlive(60).bytes());

            ClientInfo seen = b.nextAuthenticated();
            assertThat(seen.ipAddress()).isEqualTo("203.0.113.9");
            assertThat(seen.peer().getPort()).isEqualTo(4711);
        }
    }

    @Test
    void withoutProxyAddressHeaderTheForwardedAddressIsIgnored() throws Exception {
        try (ListenerBroker b = ws(); RawWebSocket c = RawWebSocket.upgrade(b.port("ws.test"), "/mqtt", "mqtt",
                Map.of("X-Forwarded-For", "203.0.113.9"))) {
            c.sendBinary(Packets.connect(4, "not-proxied").keepAlive(60).bytes());

            assertThat(b.nextAuthenticated().ipAddress()).isEqualTo("127.0.0.1");
        }
    }
}
