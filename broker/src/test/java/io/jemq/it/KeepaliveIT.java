package io.jemq.it;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.jemq.it.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;

/** Keepalive: silent clients are dropped after keepalive × backoff (0.75) × 2; pings keep a client alive. */
class KeepaliveIT {

    @Test
    void silentClientIsClosedAfterOneAndAHalfKeepalives() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), connect(4, "silent").keepAlive(1))) {
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed by the broker").isTrue();
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(elapsedMillis).as("closed after about 1.5 × keepalive").isBetween(1_000L, 2_500L);
        }
    }

    @Test
    void pingreqGetsPingrespAndKeepsTheClientAlive() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), connect(4, "pinger").keepAlive(1))) {
            // four pings 600 ms apart: 2.4 s in all, well past the 1.5 s a silent client would get
            for (int i = 0; i < 4; i++) {
                assertThat(c.poll(Duration.ofMillis(600))).as("nothing unasked for").isEmpty();
                c.send(Packets.pingreq());
                Packet resp = c.expect(Packets.PINGRESP);
                assertThat(resp.body()).isEmpty();
            }
        }
    }

    @Test
    void serverKeepAliveIsSentInConnack() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.server_keepalive", "2s")) {
            Mqtt5BlockingClient c = Clients.v5(b, "ska");
            Mqtt5ConnAck ack = c.connectWith().keepAlive(60).send();
            assertThat(ack.getServerKeepAlive()).hasValue(2);
            c.disconnect();
        }
    }

    @Test
    void serverKeepAliveIsEnforced() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.server_keepalive", "1s");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(connect(5, "ska-enforced").keepAlive(60));
            assertThat(Packet.first(ack.connackProperties(), Packets.Props.SERVER_KEEP_ALIVE)).isEqualTo(1L);
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed on the server's keepalive").isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_000L, 2_500L);
        }
    }

    @Test
    void mqtt311ClientIgnoresServerKeepAliveSetting() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.server_keepalive", "1s");
             RawClient c = RawClient.connected(b.port(), connect(4, "v311-own-keepalive").keepAlive(60))) {
            // a 3.1.1 client cannot be told another keepalive: its own 60 s holds, so 2 s of silence is fine
            assertThat(c.closedWithin(Duration.ofSeconds(2))).isFalse();
            c.send(Packets.pingreq());
            c.expect(Packets.PINGRESP);
        }
    }
}
