package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.jemq.sys.Counter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A subscriber that can't keep up slows its publishers down (queue watermarks) instead of losing messages. */
class FlowControlIT {
    @Test
    void slowSubscriberPausesPublisherAndLosesNothing() throws Exception {
        // queue of 10 with a one-message window: without flow control a 2-wide publisher overruns it and the
        // queue drops the oldest. The pause limit and the stall clock are set far off: on a starved machine the
        // subscriber's client may take nothing for longer than their defaults (100 ms, 500 ms), after which the broker
        // rightly lets the publisher go on (docs/reliability.md); the defaults' own behaviour is tested below
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "10", "mqtt.session.max_inflight", "1",
                "mqtt.session.max_awaiting_rel", "2", "mqtt.mqueue.max_pause", "5s",
                "mqtt.mqueue.stall_timeout", "30s")) {
            var sub = Clients.v5(b, "slow-sub");
            sub.connect();
            var received = Clients.publishes(sub);
            sub.subscribeWith().topicFilter("flow/t").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt5AsyncClient pub = Clients.v5(b, "fast-pub").toAsync();
            pub.connect().join();
            int count = 300;
            List<CompletableFuture<?>> acks = new ArrayList<>();
            // the client's send() blocks while the broker holds it back: publish from another thread
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < count; i++) {
                    acks.add(pub.publishWith().topic("flow/t").qos(MqttQos.AT_LEAST_ONCE)
                            .payload(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).send());
                }
            });
            for (int i = 0; i < count; i++) {
                var m = Clients.next(received);
                assertThat(new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(i));
            }
            publishing.join();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL)).isZero();
            pub.disconnect().join();
            sub.disconnect();
        }
    }

    @Test
    void aSubscriberThatStopsAcknowledgingPausesItsPublisherOnceAtMostAndIsRememberedOnce() throws Exception {
        // a subscriber that never acknowledges stays behind: its publisher may be paused while the queue starts
        // filling, but once nothing has left the queue for stall_timeout the subscriber is stalled and pauses nobody;
        // the one callback its publisher registered stays one, however many messages follow
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_length", "10", "mqtt.session.max_inflight", "1");
             RawClient stuck = RawClient.connected(b.port(), 4, "stuck", true);
             RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
            stuck.send(Packets.subscribe(4, 1, "stuck/t", 1));
            stuck.expect(Packets.SUBACK);
            byte[][] burst = new byte[40][];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = Packets.publish(4, "stuck/t", 1, i + 1, "m" + i);
            }
            pub.send(burst);
            for (int i = 0; i < burst.length; i++) {
                pub.expect(Packets.PUBACK);
            }
            var session = b.broker().sessions().get("stuck");
            await().atMost(Duration.ofSeconds(5)).until(session::isStalled);
            pub.send(Packets.publish(4, "stuck/t", 1, 41, "m40"));
            pub.expect(Packets.PUBACK);
            assertThat(session.isCongested()).as("a stalled subscriber holds nobody back").isFalse();
            assertThat(session.pausedPublisherCount()).isLessThanOrEqualTo(1);
            // the PUBACK may leave before the subscriber's loop has queued m40 (its oldest dropped first): wait for it
            await().untilAsserted(() -> assertThat(session.figures().queued()).isEqualTo(10));
        }
    }

    @Test
    void aSubscriberThatHiccupsForLessThanTheStallTimeoutLosesNothing() throws Exception {
        // four publishers as fast as their windows allow; the subscriber stops taking messages for 200 ms once (a GC
        // pause, a busy core). Shorter than stall_timeout: its publishers wait, its queue does not overflow. The
        // broker sees the hiccup longer than 200 ms (the test's own reads, paranoid leak detection, a loaded machine:
        // 626 ms once), so stall_timeout is 3 s here rather than the shipped 500 ms; and max_pause is 3 s rather than
        // 100 ms, since a subscriber slower than its four publishers for longer than that (this one, reading a packet
        // at a time under paranoid leak detection) lets them go on by design and its queue overflows
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.stall_timeout", "3s",
                "mqtt.mqueue.max_pause", "3s");
             RawClient sub = RawClient.connected(b.port(), 4, "hiccup", true)) {
            sub.send(Packets.subscribe(4, 1, "hiccup/t", 1));
            sub.expect(Packets.SUBACK);
            int perPublisher = 1500;
            List<Mqtt5AsyncClient> pubs = new ArrayList<>();
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                Mqtt5AsyncClient pub = Clients.v5(b, "hiccup-pub-" + p).toAsync();
                pub.connect().join();
                pubs.add(pub);
            }
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perPublisher; i++) {
                    for (Mqtt5AsyncClient pub : pubs) {
                        acks.add(pub.publishWith().topic("hiccup/t").qos(MqttQos.AT_LEAST_ONCE)
                                .payload(new byte[16]).send());
                    }
                }
            });
            int expected = 4 * perPublisher;
            int received = 0;
            while (received < expected) {
                Packet p = sub.expect(Packets.PUBLISH);
                received++;
                sub.send(Packets.ack(Packets.PUBACK, p.publishId()));
                if (received == 1000) {
                    // the hiccup itself: the subscriber takes nothing for 200 ms (the scenario, not a wait)
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
            }
            publishing.join();
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL))
                    .as("dropped by the subscriber's queue")
                    .isZero();
            for (Mqtt5AsyncClient pub : pubs) {
                pub.disconnect().join();
            }
        }
    }
}
