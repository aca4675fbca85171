package io.jemq.it;

import io.jemq.sys.Counter;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient.Seen;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jemq.it.Conformance.publish;
import static io.jemq.it.Conformance.subscribe;
import static io.jemq.it.Conformance.unsubscribe;
import static io.jemq.testkit.Packets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer's interoperability test, which failed against jemq about one run in three: client A subscribes and has its
 * SUBACK, then sends UNSUBSCRIBE and, without waiting for the UNSUBACK, client B connects and publishes to the topic
 * at QoS 0 and 1. A must not get either message. 3.1.1: "If a Server deletes a Subscription: It MUST stop adding any
 * new messages for delivery to the Client [MQTT-3.10.4-2]"; 5.0: "When a Server receives UNSUBSCRIBE It MUST stop
 * adding any new messages which match the Topic Filters, for delivery to the Client [MQTT-3.10.4-2]".
 *
 * <p>The order is one of time, not of a single connection: A's UNSUBSCRIBE is on the broker's socket before B's TCP
 * handshake even starts, and B needs that handshake and a CONNECT/CONNACK round trip before its PUBLISH can be read.
 * A broker that handles what it has read in the order it read it has deleted the subscription by then, unless the
 * thread that serves A gets no CPU for that long; so each run is made twice: once exactly as the peer made it, and once
 * with B held back until the broker has started handling A's UNSUBSCRIBE (its UNSUBSCRIBE counter moved; A still reads
 * nothing). The second kind leaves a correct broker only the microseconds between counting the packet and deleting
 * the subscription, against B's whole connection set-up; the first is the peer's report as it stands. A fresh broker
 * per run, as the peer's test had, and raw clients, so nothing waits for an UNSUBACK behind the test's back.
 */
@DisplayName("MQTT-3.10.4-2 UNSUBSCRIBE takes effect before a later publisher's messages, UNSUBACK not awaited")
class UnsubscribeOrderingIT {
    private static final int RUNS = 20;
    /** The late delivery this test exists for came within milliseconds of the PINGRESP; this bounds the wait for
     *  one that would come later still. */
    private static final Duration QUIET = Duration.ofMillis(200);

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (boolean afterRead : new boolean[]{false, true}) {
            for (int version : new int[]{4, 5}) {
                for (int run = 1; run <= RUNS; run++) {
                    String how = (version == 5 ? "MQTT 5.0" : "MQTT 3.1.1") + (afterRead
                            ? ", B held back until the broker read the UNSUBSCRIBE" : ", as the peer ran it");
                    out.add(Arguments.of(how, version, afterRead, run));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "MQTT-3.10.4-2 {0}, run {3} of " + RUNS + ": A gets nothing B publishes after A's "
            + "UNSUBSCRIBE")
    @MethodSource("runs")
    void noDeliveryAfterUnsubscribeSentButNotAcknowledged(String how, int version, boolean afterRead, int run)
            throws IOException {
        String topic = "interop/unsub/" + run;
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient a = RawClient.connected(b.port(), version, "A", true)) {
            a.send(subscribe(version, 1, topic, 1));
            assertThat(a.expect(Packets.SUBACK).packetId()).isEqualTo(1);
            a.send(unsubscribe(version, 2, topic));             // no waiting for the UNSUBACK
            if (afterRead) {
                await().atMost(Clients.WAIT).until(() -> b.broker().counters().get(Counter.PACKETS_UNSUBSCRIBE) == 1);
            }
            try (RawClient pub = RawClient.connected(b.port(), version, "B", true)) {
                pub.send(concat(publish(version, topic, 0, 0, null, "qos 0 after UNSUBSCRIBE"),
                        publish(version, topic, 1, 1, null, "qos 1 after UNSUBSCRIBE")));
                pub.expect(Packets.PUBACK);                     // both routed by now: B's packets are handled in order
            }
            // a PINGREQ round trip on A: anything already handed to A's connection comes before the PINGRESP; then a
            // short quiet wait for a delivery still on its way between the broker's threads
            a.send(Packets.pingreq());
            Seen seen = a.untilClosed(Clients.WAIT, p -> p.type() == Packets.PINGRESP);
            assertThat(seen.any(Packets.PINGRESP)).as("PINGRESP on A: " + seen).isTrue();
            assertThat(seen.any(Packets.UNSUBACK)).as("A's UNSUBACK: " + seen).isTrue();
            assertThat(seen.of(Packets.PUBLISH)).as("messages A got after its UNSUBSCRIBE: " + seen)
                    .extracting(Packet::payload).isEmpty();
            assertThat(a.poll(QUIET)).as("a late PUBLISH on A, after UNSUBACK and PINGRESP").isEmpty();
        }
    }
}
