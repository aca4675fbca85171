package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static io.jemq.testkit.Packets.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keepalive: silent clients are dropped after keepalive × backoff (0.75) × 2; pings keep a client alive;
 * {@code mqtt.server_keepalive} replaces a 5.0 client's value, {@code mqtt.max_keepalive} caps everyone's.
 */
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

    // ------------------------------------------------------------------------------------------------ max_keepalive

    @Test
    void maxKeepaliveIsToldToMqtt5ClientsAskingForMoreOrForNone() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_keepalive", "2")) {
            for (int asked : new int[]{0, 60}) {
                Mqtt5BlockingClient c = Clients.v5(b, "capped-" + asked);
                Mqtt5ConnAck ack = c.connectWith().keepAlive(asked).send();
                assertThat(ack.getServerKeepAlive()).as("Server Keep Alive for keepalive " + asked).hasValue(2);
                c.disconnect();
            }
        }
    }

    @Test
    void aMqtt5ClientAskingForLessThanTheCapKeepsItsOwn() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_keepalive", "2")) {
            Mqtt5BlockingClient c = Clients.v5(b, "under-the-cap");
            Mqtt5ConnAck ack = c.connectWith().keepAlive(1).send();
            assertThat(ack.getServerKeepAlive()).as("no Server Keep Alive: its own value holds").isEmpty();
            c.disconnect();
        }
    }

    @ParameterizedTest(name = "keepalive {0}")
    @ValueSource(ints = {0, 60})
    void aSilentMqtt5ClientIsHeldToTheCap(int asked) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_keepalive", "1");
             RawClient c = RawClient.open(b.port())) {
            Packet ack = c.connect(connect(5, "held-" + asked).keepAlive(asked));
            assertThat(Packet.first(ack.connackProperties(), Packets.Props.SERVER_KEEP_ALIVE)).isEqualTo(1L);
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed after 1 s × backoff × 2").isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_000L, 2_500L);
        }
    }

    @ParameterizedTest(name = "keepalive {0}")
    @ValueSource(ints = {0, 60})
    void aMqtt311ClientAskingForMoreIsAcceptedButHeldToTheCap(int asked) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_keepalive", "1");
             RawClient c = RawClient.connected(b.port(), connect(4, "held-311-" + asked).keepAlive(asked))) {
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed on the cap, untold").isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_000L, 2_500L);
        }
    }

    @Test
    void aMqtt311ClientAskingForLessKeepsItsOwn() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_keepalive", "60");
             RawClient c = RawClient.connected(b.port(), connect(4, "under-the-cap-311").keepAlive(1))) {
            long start = System.nanoTime();
            assertThat(c.closedWithin(Duration.ofSeconds(4))).as("closed on its own 1 s keepalive").isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(1_000L, 2_500L);
        }
    }

    @Test
    void serverKeepaliveWinsOverMaxKeepaliveForMqtt5Clients() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.server_keepalive", "3s", "mqtt.max_keepalive", "2s")) {
            Mqtt5BlockingClient c = Clients.v5(b, "both-set");
            Mqtt5ConnAck ack = c.connectWith().keepAlive(60).send();
            assertThat(ack.getServerKeepAlive()).hasValue(3);
            c.disconnect();
        }
    }
}
