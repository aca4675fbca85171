package io.jemq.it;

import io.jemq.sys.Counter;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client can make the broker hold is counted against budgets; at the limit the client is refused the MQTT
 * way and the broker raises an alarm, instead of running out of memory.
 */
class MemoryBudgetsIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {4, 5})
    void subscriptionsBeyondTheBudgetAreRefusedAndAnUnsubscribeMakesRoom(int version) throws Exception {
        // about 530 bytes a subscription: 32 KB hold some 60
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.budget.subscriptions", "32KB");
             RawClient c = RawClient.connected(b.port(), version, "greedy", true)) {
            int refusal = version == 5 ? 0x97 : 0x80;
            int granted = 0;
            int firstRefused = -1;
            for (int i = 1; i <= 100; i++) {
                c.send(Packets.subscribe(version, i, "greedy/" + i, 1));
                int code = c.expect(Packets.SUBACK).subackCodes()[0];
                if (code == 1) {
                    granted++;
                } else {
                    assertThat(code).as("SUBACK code once the budget is spent").isEqualTo(refusal);
                    if (firstRefused < 0) {
                        firstRefused = i;
                    }
                }
            }
            assertThat(granted).as("subscriptions granted").isBetween(40, 70);
            assertThat(firstRefused).isEqualTo(granted + 1);
            assertThat(b.broker().alarms().isRaised("budget_subscriptions")).isTrue();

            // giving some back makes room again
            for (int i = 1; i <= 20; i++) {
                c.send(Packets.packet(Packets.UNSUBSCRIBE, 2, unsubscribeBody(version, 200 + i, "greedy/" + i)));
                c.expect(Packets.UNSUBACK);
            }
            c.send(Packets.subscribe(version, 300, "greedy/again", 1));
            assertThat(c.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
        }
    }

    @Test
    void aMqtt5RetainedPublishBeyondTheBudgetGetsQuotaExceededAndIsNeitherKeptNorRouted() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.budget.retained", "16KB");
             RawClient watcher = RawClient.connected(b.port(), 5, "watcher", true);
             RawClient c = RawClient.connected(b.port(), 5, "retainer", true)) {
            watcher.send(Packets.subscribe(5, 1, "r/#", 0));
            watcher.expect(Packets.SUBACK);
            byte[] kilobyte = new byte[1024];
            int refusedAt = -1;
            for (int i = 1; i <= 40 && refusedAt < 0; i++) {
                c.send(Packets.publish(5, "r/" + i, 1, true, false, i, null, kilobyte));
                int reason = c.expect(Packets.PUBACK).ackReason();
                if (reason == 0x97) {
                    refusedAt = i;
                } else {
                    assertThat(reason).isZero();
                    assertThat(watcher.expect(Packets.PUBLISH).topic()).isEqualTo("r/" + i);
                }
            }
            assertThat(refusedAt).as("the retained budget ran out").isBetween(5, 16);
            assertThat(b.broker().alarms().isRaised("budget_retained")).isTrue();
            assertThat(watcher.poll(Duration.ofMillis(300))).as("the refused message was not routed").isEmpty();
            assertThat(retainedTopicsFor(b.port(), "r/#")).hasSize(refusedAt - 1);

            // replacing a kept topic is always allowed, and clearing one makes room
            c.send(Packets.publish(5, "r/1", 1, true, false, 100, null, kilobyte));
            assertThat(c.expect(Packets.PUBACK).ackReason()).isZero();
            c.send(Packets.publish(5, "r/1", 1, true, false, 101, null, new byte[0]));
            assertThat(c.expect(Packets.PUBACK).ackReason()).isIn(0, 0x10);
            c.send(Packets.publish(5, "r/new", 1, true, false, 102, null, kilobyte));
            assertThat(c.expect(Packets.PUBACK).ackReason()).isZero();
        }
    }

    @Test
    void aMqtt311RetainedPublishBeyondTheBudgetIsAcknowledgedButDroppedAndCounted() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.budget.retained", "8KB");
             RawClient c = RawClient.connected(b.port(), 4, "retainer", true)) {
            byte[] kilobyte = new byte[1024];
            for (int i = 1; i <= 20; i++) {
                c.send(Packets.publish(4, "r/" + i, 1, true, false, i, null, kilobyte));
                assertThat(c.expect(Packets.PUBACK).packetId()).isEqualTo(i);
            }
            int kept = retainedTopicsFor(b.port(), "r/#").size();
            assertThat(kept).isBetween(3, 8);
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED)).isGreaterThanOrEqualTo(20 - kept);
        }
    }

    @Test
    void anOfflineSessionKeepsTheNewestMessagesWithinItsByteLimit() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.mqueue.max_bytes", "16KB")) {
            try (RawClient away = RawClient.connected(b.port(), 4, "away", false)) {
                away.send(Packets.subscribe(4, 1, "q/t", 1));
                away.expect(Packets.SUBACK);
                away.send(Packets.disconnect());
            }
            await().atMost(WAIT).until(() -> !b.broker().sessions().get("away").isOnline());
            try (RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
                for (int i = 0; i < 100; i++) {
                    pub.send(Packets.publish(4, "q/t", 1, false, false, i + 1, null, payload(i, 1024)));
                    pub.expect(Packets.PUBACK);
                }
            }
            List<Integer> got = new ArrayList<>();
            try (RawClient back = RawClient.connected(b.port(), 4, "away", false)) {
                Optional<Packet> p;
                while ((p = back.poll(Duration.ofMillis(500))).isPresent()) {
                    Packet m = p.get();
                    got.add(Integer.parseInt(m.payload().substring(0, 3).trim()));
                    back.send(Packets.ack(Packets.PUBACK, m.publishId()));
                }
            }
            assertThat(got).as("about 16 KB of 1 KB messages, the newest").hasSizeBetween(10, 16).endsWith(99);
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL)).isEqualTo(100 - got.size());
        }
    }

    @Test
    void whenTheQueuesBudgetIsSpentNewMessagesForQueuesAreDroppedAndTheBrokerRaisesAnAlarm() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.budget.queues", "24KB")) {
            for (String id : List.of("away1", "away2", "away3")) {
                try (RawClient away = RawClient.connected(b.port(), 4, id, false)) {
                    away.send(Packets.subscribe(4, 1, "q/t", 1));
                    away.expect(Packets.SUBACK);
                    away.send(Packets.disconnect());
                }
            }
            try (RawClient pub = RawClient.connected(b.port(), 4, "pub", true)) {
                for (int i = 0; i < 30; i++) {
                    pub.send(Packets.publish(4, "q/t", 1, false, false, i + 1, null, payload(i, 1024)));
                    assertThat(pub.expect(Packets.PUBACK).packetId()).as("the publisher is never cut off")
                            .isEqualTo(i + 1);
                }
            }
            assertThat(b.broker().budgets().queues().used()).isLessThanOrEqualTo(24 * 1024 + 2048);
            assertThat(b.broker().counters().get(Counter.MESSAGES_DROPPED_QUEUE_FULL)).isPositive();
            assertThat(b.broker().alarms().isRaised("budget_queues")).isTrue();
        }
    }

    @Test
    void aConnectionWaitsForReadMemoryInsteadOfBufferingPastTheBudget() throws Exception {
        // room for one 200 KB packet at a time: the second large packet waits in its socket until the first is in
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.budget.reads", "300KB", "mqtt.max_packet_size", "1MB");
             RawClient first = RawClient.connected(b.port(), 4, "first", true);
             RawClient second = RawClient.connected(b.port(), 4, "second", true)) {
            byte[] one = Packets.publish(4, "big/1", 1, false, false, 1, null, new byte[200 * 1024]);
            byte[] two = Packets.publish(4, "big/2", 1, false, false, 1, null, new byte[200 * 1024]);
            first.send(Arrays.copyOf(one, one.length / 2));
            await().atMost(WAIT).until(() -> b.broker().budgets().reads().used() >= 200 * 1024);
            second.send(two);
            assertThat(second.poll(Duration.ofMillis(500))).as("no PUBACK while the budget is held").isEmpty();
            first.send(Arrays.copyOfRange(one, one.length / 2, one.length));
            assertThat(first.expect(Packets.PUBACK).packetId()).isEqualTo(1);
            assertThat(second.expect(Packets.PUBACK).packetId()).as("read once memory came back").isEqualTo(1);
            await().atMost(WAIT).until(() -> b.broker().budgets().reads().used() == 0);
        }
    }

    private static byte[] unsubscribeBody(int version, int packetId, String filter) {
        Packets.Bytes body = new Packets.Bytes().u16(packetId);
        if (version == 5) {
            body.u8(0);
        }
        return body.str(filter).toArray();
    }

    private static byte[] payload(int n, int size) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) ' ');
        byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, p, 0, digits.length);
        return p;
    }

    /** The topics of the retained messages a new subscriber to {@code filter} is given. */
    private static List<String> retainedTopicsFor(int port, String filter) throws Exception {
        List<String> topics = new ArrayList<>();
        try (RawClient c = RawClient.connected(port, 4, "retained-reader", true)) {
            c.send(Packets.subscribe(4, 1, filter, 0));
            c.expect(Packets.SUBACK);
            Optional<Packet> p;
            while ((p = c.poll(Duration.ofMillis(300))).isPresent()) {
                topics.add(p.get().topic());
            }
        }
        return topics;
    }
}
