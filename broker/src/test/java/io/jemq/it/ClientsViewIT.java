package io.jemq.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;
import io.jemq.protocol.ClientSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jemq.testkit.Clients.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's read-only view of connected clients ({@code Broker.clients()}), with real clients: the list shows
 * them as they connected, kick closes one (a 5.0 client reads DISCONNECT 0x98 first), and cleaning a client's ACL
 * cache makes its next PUBLISH ask the ACL sources again.
 */
class ClientsViewIT {

    @Test
    void listsTheConnectedClients() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient v3 = Clients.v3(b, "list-3");
            v3.connectWith().keepAlive(20).cleanSession(false).send();
            Mqtt5BlockingClient v5 = Clients.v5(b, "list-5");
            v5.connectWith().keepAlive(40).send();
            List<ClientSnapshot> all = b.broker().clients().list().join();
            assertThat(all).extracting(ClientSnapshot::clientId).containsExactlyInAnyOrder("list-3", "list-5");
            ClientSnapshot s3 = all.stream().filter(s -> s.clientId().equals("list-3")).findFirst().orElseThrow();
            assertThat(s3.protocolLevel()).isEqualTo(4);
            assertThat(s3.cleanStart()).isFalse();
            assertThat(s3.keepalive()).isEqualTo(20);
            assertThat(s3.listenerId()).isEqualTo("tcp.external");
            assertThat(s3.peer().getAddress().isLoopbackAddress()).isTrue();
            assertThat(s3.connectedAt()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
            assertThat(s3.inflight()).isZero();
            assertThat(b.broker().clients().get("list-5").join()).hasValueSatisfying(s -> {
                assertThat(s.protocolLevel()).isEqualTo(5);
                assertThat(s.keepalive()).isEqualTo(40);
            });
            assertThat(b.broker().clients().get("nobody").join()).isEmpty();
            v3.disconnect();
            await().atMost(WAIT).untilAsserted(() -> assertThat(b.broker().clients().list().join())
                    .extracting(ClientSnapshot::clientId).containsExactly("list-5"));
            v5.disconnect();
        }
    }

    @Test
    void kickClosesTheClientWithAdministrativeAction() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), Packets.connect(5, "kick-me"))) {
            assertThat(b.broker().clients().kick("kick-me")).succeedsWithin(WAIT).isEqualTo(true);
            Packet last = c.lastPacketBeforeClose(WAIT).orElseThrow();
            assertThat(last.type()).isEqualTo(Packets.DISCONNECT);
            assertThat(last.disconnectReason()).isEqualTo(0x98);
            await().atMost(WAIT).until(() -> b.broker().connectionCount() == 0);
            assertThat(b.broker().clients().kick("kick-me")).succeedsWithin(WAIT).isEqualTo(false);
        }
    }

    @Test
    void aCleanedAclCacheAsksTheSourcesAgain() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            AtomicInteger asked = new AtomicInteger();
            b.broker().access().acl().setPluginSources(List.of(new Authorizer() {
                @Override
                public String name() {
                    return "counting";
                }

                @Override
                public java.util.concurrent.CompletionStage<AclResult> check(io.jemq.api.ClientInfo client,
                                                                             io.jemq.api.Access access,
                                                                             String topic) {
                    if (topic.equals("cache/t")) {
                        asked.incrementAndGet();
                    }
                    return AclResult.ALLOW.stage();
                }
            }));
            Mqtt3BlockingClient c = Clients.v3(b, "cached-1");
            c.connect();
            c.publishWith().topic("cache/t").qos(MqttQos.AT_LEAST_ONCE).send();
            c.publishWith().topic("cache/t").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(asked).as("the second answer came from the cache").hasValue(1);
            assertThat(b.broker().clients().cleanAclCache("cached-1")).succeedsWithin(WAIT).isEqualTo(true);
            c.publishWith().topic("cache/t").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(asked).as("asked again after the cache was cleaned").hasValue(2);
            c.disconnect();
        }
    }
}
