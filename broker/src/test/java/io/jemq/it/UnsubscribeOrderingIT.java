package io.jemq.it;

import io.jemq.api.BrokerListener;
import io.jemq.api.PublishedMessage;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static io.jemq.it.Conformance.publish;
import static io.jemq.it.Conformance.subscribe;
import static io.jemq.it.Conformance.unsubscribe;
import static io.jemq.testkit.Packets.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
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
 *
 * <p>What a run holds the broker to is what it had read: a listener notes, as the broker takes each of B's messages
 * (on B's thread, before routing), whether it had counted A's UNSUBSCRIBE yet. A message taken after that must never
 * reach A, whatever the threads do next; one taken before it was published, as far as the broker could know, while A
 * was still subscribed, and the spec has no word against delivering it. On a loaded machine the thread that serves A
 * can be kept from reading through B's whole set-up: in the whole suite on 2 cores, 1 of the 40 peer's runs took both
 * messages first, and 3 whole-suite runs of about a dozen failed on it when this test did not look (both messages
 * before the UNSUBACK). Such a run checks nothing; it is made again on a fresh broker, up to {@value #ATTEMPTS} times,
 * rather than failing for the scheduler or passing as if it had checked.
 */
@DisplayName("MQTT-3.10.4-2 UNSUBSCRIBE takes effect before a later publisher's messages, UNSUBACK not awaited")
class UnsubscribeOrderingIT {
    private static final int RUNS = 20;
    /** The late delivery this test exists for came within milliseconds of the PINGRESP; this bounds the wait for
     *  one that would come later still. */
    private static final Duration QUIET = Duration.ofMillis(200);
    /** Runs made for one that checks something; 1 in 40 of the peer's runs checked nothing in the clean-clone CI. */
    private static final int ATTEMPTS = 5;
    private static final String QOS0 = "qos 0 after UNSUBSCRIBE";
    private static final String QOS1 = "qos 1 after UNSUBSCRIBE";

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
        List<String> inconclusive = new ArrayList<>();
        while (inconclusive.size() < ATTEMPTS) {
            String unchecked = oneRun(version, afterRead, "interop/unsub/" + run);
            if (unchecked == null) {
                return;
            }
            inconclusive.add(unchecked);
        }
        fail("in each of " + ATTEMPTS + " attempts the broker took both of B's messages before it read A's "
                + "UNSUBSCRIBE: nothing checked; A got " + inconclusive);
    }

    /**
     * One run on a fresh broker, as the peer's test did it.
     *
     * @return null once it checked what A got against what the broker had read, or what A got when the broker took
     *         both of B's messages before it read the UNSUBSCRIBE (nothing to check: the caller runs again)
     */
    private static String oneRun(int version, boolean afterRead, String topic) throws IOException {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient a = RawClient.connected(b.port(), version, "A", true)) {
            List<String> takenAfterRead = takenAfterUnsubscribeRead(b, topic);
            a.send(subscribe(version, 1, topic, 1));
            assertThat(a.expect(Packets.SUBACK).packetId()).isEqualTo(1);
            a.send(unsubscribe(version, 2, topic));             // no waiting for the UNSUBACK
            if (afterRead) {
                await().atMost(Clients.WAIT).until(() -> b.broker().counters().get(Counter.PACKETS_UNSUBSCRIBE) == 1);
            }
            try (RawClient pub = RawClient.connected(b.port(), version, "B", true)) {
                pub.send(concat(publish(version, topic, 0, 0, null, QOS0), publish(version, topic, 1, 1, null, QOS1)));
                pub.expect(Packets.PUBACK);                     // both routed by now: B's packets are handled in order
            }
            // a PINGREQ round trip on A: anything already handed to A's connection comes before the PINGRESP; then a
            // short quiet wait for a delivery still on its way between the broker's threads
            a.send(Packets.pingreq());
            Seen seen = a.untilClosed(Clients.WAIT, p -> p.type() == Packets.PINGRESP);
            assertThat(seen.any(Packets.PINGRESP)).as("PINGRESP on A: " + seen).isTrue();
            assertThat(seen.any(Packets.UNSUBACK)).as("A's UNSUBACK: " + seen).isTrue();
            assertThat(a.poll(QUIET)).as("a late PUBLISH on A, after UNSUBACK and PINGRESP").isEmpty();
            if (afterRead) {
                assertThat(takenAfterRead).as("B's messages, B held back until the UNSUBSCRIBE was read")
                        .containsExactly(QOS0, QOS1);
            }
            if (takenAfterRead.isEmpty()) {
                return seen.toString();
            }
            assertThat(seen.of(Packets.PUBLISH)).as("messages A got after its UNSUBSCRIBE: " + seen + "; taken by "
                            + "the broker after it read the UNSUBSCRIBE: " + takenAfterRead)
                    .extracting(Packet::payload).doesNotContainAnyElementsOf(takenAfterRead);
            return null;
        }
    }

    /**
     * The payloads of the messages to {@code topic} that the broker took (on the publisher's thread, before routing
     * them) after it had counted the UNSUBSCRIBE: those it must not deliver to a client that unsubscribed.
     */
    private static List<String> takenAfterUnsubscribeRead(EmbeddedBroker b, String topic) {
        List<String> taken = new CopyOnWriteArrayList<>();
        b.broker().events().add(new BrokerListener() {
            @Override
            public void messagePublished(PublishedMessage message) {
                if (message.topic().equals(topic)
                        && b.broker().counters().get(Counter.PACKETS_UNSUBSCRIBE) > 0) {
                    taken.add(new String(message.payloadBytes(), StandardCharsets.UTF_8));
                }
            }
        });
        return taken;
    }
}
