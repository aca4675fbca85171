package io.jemq.it;

import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The counters the $SYS metrics tree publishes move with what a client sends and receives. */
class MetricsIT {

    @Test
    void everyPacketOfAClientsConversationIsCountedBothWays() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            try (RawClient c = RawClient.connected(b.port(), 4, "counted", true)) {           // CONNECT → CONNACK
                c.send(Packets.subscribe(4, 1, "m/t", 1));                                    // → SUBACK
                c.expect(Packets.SUBACK);
                c.send(Packets.publish(4, "m/t", 1, 2, "x"));                                 // → PUBACK, PUBLISH
                Packet first = c.receive(java.time.Duration.ofSeconds(5));
                Packet second = c.receive(java.time.Duration.ofSeconds(5));
                Packet delivered = first.type() == Packets.PUBLISH ? first : second;
                c.send(Packets.ack(Packets.PUBACK, delivered.packetId()));
                c.send(Packets.pingreq());                                                    // → PINGRESP
                c.expect(Packets.PINGRESP);
                c.send(Packets.disconnect());
                assertThat(c.closedWithin(java.time.Duration.ofSeconds(5))).isTrue();
            }
            await().untilAsserted(() -> {
                Map<String, Long> m = b.broker().counters().snapshot();
                assertThat(m).containsEntry("packets/received", 6L)   // CONNECT SUBSCRIBE PUBLISH PUBACK PINGREQ
                        .containsEntry("packets/sent", 5L)             // DISCONNECT; CONNACK SUBACK PUBACK PUBLISH
                        .containsEntry("packets/connect", 1L)          // PINGRESP
                        .containsEntry("packets/connack", 1L)
                        .containsEntry("packets/subscribe", 1L)
                        .containsEntry("packets/suback", 1L)
                        .containsEntry("packets/publish/received", 1L)
                        .containsEntry("packets/publish/sent", 1L)
                        .containsEntry("packets/pingreq", 1L)
                        .containsEntry("packets/pingresp", 1L)
                        .containsEntry("packets/disconnect", 1L)
                        .containsEntry("messages/received", 1L)
                        .containsEntry("messages/sent", 1L)
                        .containsEntry("messages/qos1/received", 1L)
                        .containsEntry("messages/qos1/sent", 1L);
                assertThat(m.get("bytes/received")).isPositive();
                assertThat(m.get("bytes/sent")).isPositive();
            });
        }
    }
}
