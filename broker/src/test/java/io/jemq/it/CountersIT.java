package io.jemq.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.sys.Stat;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The figures of the counter table that EMQ's $SYS tree publishes move with what real clients do: each packet of the
 * QoS 1 and QoS 2 handshakes by type and direction, acknowledgements of unknown packet ids, retained messages, and
 * the stats with their high-water mark.
 */
class CountersIT {

    @Test
    void aQos1MessageToASubscriberCountsAPubackEachWay() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Counters c = b.broker().counters();
            Mqtt3BlockingClient sub = Clients.v3(b, "q1-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("c/q1").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "q1-pub");
            pub.connect();
            pub.publishWith().topic("c/q1").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("one")).send();   // → PUBACK
            assertThat(next(got).getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);                             // PUBACK ←

            await().untilAsserted(() -> {
                assertThat(c.get(Counter.PACKETS_PUBACK_SENT)).as("to the publisher").isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBACK_RECEIVED)).as("from the subscriber").isEqualTo(1);
            });
            assertThat(c.get(Counter.PACKETS_PUBACK_MISSED)).isZero();
            assertThat(c.get(Counter.MESSAGES_QOS1_RECEIVED)).isEqualTo(1);
            assertThat(c.get(Counter.MESSAGES_QOS1_SENT)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBREC_SENT) + c.get(Counter.PACKETS_PUBREC_RECEIVED)).isZero();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void aQos2MessageToASubscriberCountsEveryPacketOfBothHandshakes() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Counters c = b.broker().counters();
            Mqtt3BlockingClient sub = Clients.v3(b, "q2-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("c/q2").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "q2-pub");
            pub.connect();
            pub.publishWith().topic("c/q2").qos(MqttQos.EXACTLY_ONCE).payload(bytes("two")).send();
            assertThat(next(got).getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);

            // publisher → broker: PUBLISH, PUBREC ←, PUBREL →, PUBCOMP ←; broker → subscriber the same, mirrored
            await().untilAsserted(() -> {
                assertThat(c.get(Counter.PACKETS_PUBREC_SENT)).isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBREC_RECEIVED)).isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBREL_RECEIVED)).isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBREL_SENT)).isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBCOMP_SENT)).isEqualTo(1);
                assertThat(c.get(Counter.PACKETS_PUBCOMP_RECEIVED)).isEqualTo(1);
            });
            assertThat(c.get(Counter.MESSAGES_QOS2_RECEIVED)).isEqualTo(1);
            assertThat(c.get(Counter.MESSAGES_QOS2_SENT)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBREC_MISSED) + c.get(Counter.PACKETS_PUBREL_MISSED)
                    + c.get(Counter.PACKETS_PUBCOMP_MISSED)).isZero();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void acknowledgementsForPacketIdsNobodyWaitsForAreCountedAsMissed() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient raw = RawClient.connected(b.port(), 4, "stray-acks", true)) {
            Counters c = b.broker().counters();
            raw.send(Packets.ack(Packets.PUBACK, 7), Packets.ack(Packets.PUBACK, 8));
            raw.send(Packets.ack(Packets.PUBREC, 9));
            assertThat(raw.expect(Packets.PUBREL).packetId()).as("PUBREL anyway, as the spec says").isEqualTo(9);
            raw.send(Packets.ack(Packets.PUBREL, 10));
            assertThat(raw.expect(Packets.PUBCOMP).packetId()).isEqualTo(10);
            raw.send(Packets.ack(Packets.PUBCOMP, 11));
            raw.send(Packets.pingreq());
            raw.expect(Packets.PINGRESP);                   // the acks before it were handled

            assertThat(c.get(Counter.PACKETS_PUBACK_MISSED)).isEqualTo(2);
            assertThat(c.get(Counter.PACKETS_PUBACK_RECEIVED)).isEqualTo(2);
            assertThat(c.get(Counter.PACKETS_PUBREC_MISSED)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBREL_MISSED)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBCOMP_MISSED)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBREL_SENT)).isEqualTo(1);
            assertThat(c.get(Counter.PACKETS_PUBCOMP_SENT)).isEqualTo(1);
        }
    }

    @Test
    void qos2MessagesBeyondMaxAwaitingRelAreCountedAsQos2Dropped() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.session.max_awaiting_rel", "1");
             RawClient raw = RawClient.connected(b.port(), 4, "no-pubrel", true)) {
            raw.send(Packets.publish(4, "c/rel", 2, 1, "kept"));
            assertThat(raw.expect(Packets.PUBREC).packetId()).isEqualTo(1);
            raw.send(Packets.publish(4, "c/rel", 2, 2, "one too many"));     // no PUBREL for 1: dropped, no PUBREC
            raw.send(Packets.pingreq());
            raw.expect(Packets.PINGRESP);

            Counters c = b.broker().counters();
            assertThat(c.get(Counter.MESSAGES_QOS2_DROPPED)).isEqualTo(1);
            assertThat(c.get(Counter.MESSAGES_DROPPED)).as("no subscriber for the first, then the drop")
                    .isEqualTo(2);
            assertThat(c.get(Counter.MESSAGES_DROPPED_NO_SUBSCRIBERS)).isEqualTo(1);
        }
    }

    @Test
    void retainedMessagesAreCountedWhileTheyAreHeld() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Counters c = b.broker().counters();
            Mqtt3BlockingClient pub = Clients.v3(b, "retainer");
            pub.connect();
            for (String topic : List.of("r/1", "r/2", "r/1")) {
                pub.publishWith().topic(topic).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("kept")).send();
            }
            assertThat(c.get(Counter.MESSAGES_RETAINED)).as("two topics hold a retained message").isEqualTo(2);
            assertThat(c.snapshot()).containsEntry("messages/retained", 2L);

            pub.publishWith().topic("r/2").retain(true).qos(MqttQos.AT_LEAST_ONCE).send();   // empty: clears r/2
            assertThat(c.snapshot()).containsEntry("messages/retained", 1L);
            assertThat(c.stats()).containsEntry("retained/count", 1L).containsEntry("retained/max", 2L);
            pub.disconnect();
        }
    }

    @Test
    void statsKeepTheirHighWaterMark() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Counters c = b.broker().counters();
            List<Mqtt3BlockingClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Mqtt3BlockingClient client = Clients.v3(b, "stats-" + i);
                client.connect();
                client.subscribeWith().topicFilter("stats/" + i).qos(MqttQos.AT_MOST_ONCE).send();
                clients.add(client);
            }
            assertThat(c.stats()).containsEntry("clients/count", 3L).containsEntry("sessions/count", 3L)
                    .containsEntry("subscriptions/count", 3L).containsEntry("topics/count", 3L);

            clients.get(0).disconnect();
            clients.get(1).disconnect();                    // clean sessions: they end with their connections
            await().untilAsserted(() -> assertThat(c.stats())
                    .containsEntry("clients/count", 1L).containsEntry("sessions/count", 1L)
                    .containsEntry("subscriptions/count", 1L).containsEntry("topics/count", 1L));
            assertThat(c.stats()).containsEntry("clients/max", 3L).containsEntry("sessions/max", 3L)
                    .containsEntry("subscriptions/max", 3L).containsEntry("subscribers/max", 3L)
                    .containsEntry("topics/max", 3L).containsEntry("routes/max", 3L);
            assertThat(c.max(Stat.CLIENTS)).isEqualTo(3);
            clients.get(2).disconnect();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
