package io.jemq.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.jemq.testkit.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a {@link BrokerListener} registered on an embedded broker hears when real clients connect, subscribe and
 * leave, and why each connection ended: normal, keepalive_timeout, takeovered, kicked, protocol_error.
 */
class ClientEventsIT {

    /** Records each event as a line of text, in the order the broker's loops called it. */
    static final class Recorder implements BrokerListener {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ClientInfo> connected = new ConcurrentLinkedQueue<>();

        @Override
        public void clientConnected(ClientInfo client, int connackCode) {
            connected.add(client);
            events.add("connected " + client.clientId() + " " + connackCode);
        }

        @Override
        public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
            events.add("disconnected " + client.clientId() + " " + reason.emqName());
        }

        @Override
        public void subscribed(ClientInfo client, String filter, int qos) {
            events.add("subscribed " + client.clientId() + " " + filter + " " + qos);
        }

        @Override
        public void unsubscribed(ClientInfo client, String filter) {
            events.add("unsubscribed " + client.clientId() + " " + filter);
        }

        List<String> about(String clientId) {
            return events.stream().filter(e -> e.split(" ")[1].equals(clientId)).toList();
        }
    }

    private static Recorder listenTo(EmbeddedBroker b) {
        Recorder r = new Recorder();
        b.broker().events().add(r);
        return r;
    }

    @Test
    void aClientThatSubscribesAndLeavesNormally() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listenTo(b);
            Mqtt5BlockingClient c = Clients.v5(b, "normal-1");
            c.connectWith().keepAlive(30).send();
            c.subscribeWith().topicFilter("a/#").qos(MqttQos.AT_LEAST_ONCE).send();
            c.unsubscribeWith().topicFilter("a/#").send();
            c.disconnect();
            await().atMost(WAIT).untilAsserted(() -> assertThat(r.about("normal-1")).containsExactly(
                    "connected normal-1 0", "subscribed normal-1 a/# 1", "unsubscribed normal-1 a/#",
                    "disconnected normal-1 normal"));
            ClientInfo info = r.connected.peek();
            assertThat(info.protocolLevel()).isEqualTo(5);
            assertThat(info.cleanStart()).isTrue();
            assertThat(info.keepalive()).isEqualTo(30);
            assertThat(info.listenerId()).isEqualTo("tcp.external");
            assertThat(info.mountpoint()).isEmpty();
            assertThat(info.peer().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void aRefusedConnectIsReportedWithItsCode() {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.allow_anonymous", "false")) {
            Recorder r = listenTo(b);
            Mqtt3BlockingClient c = Clients.v3(b, "refused-1");
            assertThatThrownBy(c::connect).hasMessageContaining("NOT_AUTHORIZED");
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(r.about("refused-1")).containsExactly("connected refused-1 5"));
        }
    }

    @Test
    void aSilentClientTimesOut() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), Packets.connect(4, "silent-1").keepAlive(1))) {
            Recorder r = listenTo(b);
            assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(r.about("silent-1")).containsExactly("disconnected silent-1 keepalive_timeout"));
        }
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesOver() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listenTo(b);
            Mqtt3BlockingClient first = Clients.v3(b, "twin-1");
            first.connect();
            Mqtt3BlockingClient second = Clients.v3(b, "twin-1");
            second.connect();
            // the old connection ends on its own loop while the new one is accepted on another: either may be first
            await().atMost(WAIT).untilAsserted(() -> assertThat(r.about("twin-1")).startsWith("connected twin-1 0")
                    .containsExactlyInAnyOrder("connected twin-1 0", "connected twin-1 0",
                            "disconnected twin-1 takeovered"));
            second.disconnect();
        }
    }

    @Test
    void aKickedClientIsReportedAsKicked() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder r = listenTo(b);
            Mqtt5BlockingClient c = Clients.v5(b, "kicked-1");
            c.connect();
            assertThat(b.broker().clients().kick("kicked-1")).succeedsWithin(WAIT).isEqualTo(true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(r.about("kicked-1")).containsExactly(
                    "connected kicked-1 0", "disconnected kicked-1 kicked"));
        }
    }

    @Test
    void aSecondConnectIsAProtocolError() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), Packets.connect(4, "twice-1"))) {
            Recorder r = listenTo(b);
            c.send(Packets.connect(4, "twice-1").bytes());
            assertThat(c.closedWithin(WAIT)).isTrue();
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(r.about("twice-1")).containsExactly("disconnected twice-1 protocol_error"));
        }
    }
}
