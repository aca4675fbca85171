package io.jemq.it;

import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.jemq.testkit.Clients.QUIET;
import static io.jemq.testkit.Clients.bytes;
import static io.jemq.testkit.Clients.next;
import static io.jemq.testkit.Clients.publishes;
import static io.jemq.testkit.Clients.quiet;
import static io.jemq.testkit.Clients.text;
import static org.assertj.core.api.Assertions.assertThat;

/** Which subscribers get a message: wildcards, $-topics, overlapping and shared subscriptions, limits. */
class RoutingIT {

    @Test
    void singleLevelWildcardMatchesExactlyOneLevel() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "plus");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("w/+/c").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "plus-pub");
            pub.connect();
            for (String t : List.of("w/b/d", "w/b/c/d", "w/c", "x/b/c", "w/b/c", "w//c")) {
                pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(t)).send();
            }
            assertThat(text(next(got))).isEqualTo("w/b/c");
            assertThat(text(next(got))).as("an empty level is a level").isEqualTo("w//c");
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void multiLevelWildcardMatchesTheParentAndEverythingBelow() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "hash");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("h/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "hash-pub");
            pub.connect();
            for (String t : List.of("hx", "x/h", "h", "h/a", "h/a/b/c")) {
                pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(t)).send();
            }
            assertThat(List.of(text(next(got)), text(next(got)), text(next(got)))).containsExactly("h", "h/a",
                    "h/a/b/c");
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient all = Clients.v3(b, "everything");
            all.connect();
            var allGot = publishes(all);
            all.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            all.subscribeWith().topicFilter("+/x").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient sys = Clients.v3(b, "sys-watcher");
            sys.connect();
            var sysGot = publishes(sys);
            sys.subscribeWith().topicFilter("$SYS/x").qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt3BlockingClient pub = Clients.v3(b, "sys-pub");
            pub.connect();
            pub.publishWith().topic("$SYS/x").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("sys")).send();
            pub.publishWith().topic("normal/x").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("normal")).send();

            assertThat(text(next(sysGot))).as("an explicit $SYS subscription gets it").isEqualTo("sys");
            Mqtt3Publish first = next(allGot);
            assertThat(first.getTopic().toString()).as("# and +/x skip $SYS/x").isEqualTo("normal/x");
            assertThat(quiet(allGot)).as("one copy for the two overlapping filters").isEmpty();
            pub.disconnect();
            all.disconnect();
            sys.disconnect();
        }
    }

    @Test
    void overlappingSubscriptionsGiveOneCopyAtTheHighestQos() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "overlap3");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("o/#").qos(MqttQos.AT_MOST_ONCE).send();
            sub.subscribeWith().topicFilter("o/+").qos(MqttQos.EXACTLY_ONCE).send();
            sub.subscribeWith().topicFilter("o/a").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "overlap3-pub");
            pub.connect();
            pub.publishWith().topic("o/a").qos(MqttQos.EXACTLY_ONCE).payload(bytes("both")).send();
            pub.publishWith().topic("o/a/deep").qos(MqttQos.EXACTLY_ONCE).payload(bytes("marker")).send();
            Mqtt3Publish m = next(got);
            assertThat(text(m)).isEqualTo("both");
            assertThat(m.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            Mqtt3Publish marker = next(got);
            assertThat(text(marker)).as("no second copy of the first message").isEqualTo("marker");
            assertThat(marker.getQos()).as("only o/# matches o/a/deep").isEqualTo(MqttQos.AT_MOST_ONCE);
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void mqtt5OverlappingSubscriptionsGiveOneCopyWithEverySubscriptionIdentifier() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient sub = RawClient.connected(b.port(), 5, "overlap5", true)) {
            sub.send(Packets.subscribe(5, 1, new Packets.Props().varint(Packets.Props.SUBSCRIPTION_ID, 1), "s/#", 1));
            sub.expect(Packets.SUBACK);
            sub.send(Packets.subscribe(5, 2, new Packets.Props().varint(Packets.Props.SUBSCRIPTION_ID, 2), "s/+", 1));
            sub.expect(Packets.SUBACK);
            Mqtt5BlockingClient pub = Clients.v5(b, "overlap5-pub");
            pub.connect();
            pub.publishWith().topic("s/a").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("both")).send();
            pub.publishWith().topic("s/a/b").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("one")).send();

            Packet both = sub.expect(Packets.PUBLISH);
            assertThat(both.payload()).isEqualTo("both");
            assertThat(Packet.all(both.publishProperties(), Packets.Props.SUBSCRIPTION_ID))
                    .containsExactlyInAnyOrder(1L, 2L);
            sub.send(Packets.ack(Packets.PUBACK, both.publishId()));
            Packet one = sub.expect(Packets.PUBLISH);
            assertThat(one.payload()).as("no second copy of the first message").isEqualTo("one");
            assertThat(Packet.all(one.publishProperties(), Packets.Props.SUBSCRIPTION_ID)).containsExactly(1L);
            sub.send(Packets.ack(Packets.PUBACK, one.publishId()));
            assertThat(sub.poll(QUIET)).isEmpty();
            pub.disconnect();
        }
    }

    @Test
    void noLocalSubscriptionSkipsTheClientsOwnMessages() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt5BlockingClient self = Clients.v5(b, "no-local");
            self.connect();
            var got = publishes(self);
            self.subscribeWith().topicFilter("nl/t").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
            self.publishWith().topic("nl/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("mine")).send();
            Mqtt5BlockingClient other = Clients.v5(b, "no-local-other");
            other.connect();
            other.publishWith().topic("nl/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("theirs")).send();
            assertThat(Clients.text(next(got))).isEqualTo("theirs");
            assertThat(quiet(got)).isEmpty();
            other.disconnect();
            self.disconnect();
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient sub = RawClient.connected(b.port(), 5, "unsub5", true)) {
            sub.send(Packets.subscribe(5, 1, "un/a", 0));
            sub.expect(Packets.SUBACK);
            sub.send(Packets.subscribe(5, 2, "un/b", 0));
            sub.expect(Packets.SUBACK);
            sub.send(unsubscribe(3, "un/a"));
            Packet ack = sub.expect(Packets.UNSUBACK);
            assertThat(ack.packetId()).isEqualTo(3);
            assertThat(ack.subackCodes()).as("5.0 UNSUBACK: success").containsExactly(0x00);
            sub.send(unsubscribe(4, "un/never"));
            assertThat(sub.expect(Packets.UNSUBACK).subackCodes()).as("no subscription existed")
                    .containsExactly(0x11);

            Mqtt3BlockingClient pub = Clients.v3(b, "unsub-pub");
            pub.connect();
            pub.publishWith().topic("un/a").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("a")).send();
            pub.publishWith().topic("un/b").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("b")).send();
            assertThat(sub.expect(Packets.PUBLISH).topic()).isEqualTo("un/b");
            assertThat(sub.poll(QUIET)).isEmpty();
            pub.disconnect();
        }
    }

    private static byte[] unsubscribe(int packetId, String filter) {
        return Packets.packet(Packets.UNSUBSCRIBE, 0x02,
                new Packets.Bytes().u16(packetId).u8(0).str(filter).toArray());
    }

    @Test
    void sharedSubscriptionDeliversEachMessageToExactlyOneMember() throws Exception {
        assertSharedGroup("$share/g/sh/t", "sh/t");
    }

    @Test
    void queueSubscriptionDeliversEachMessageToExactlyOneMember() throws Exception {
        assertSharedGroup("$queue/qu/t", "qu/t");
    }

    /** Two members, 20 messages: each once across the group, both members get some, a plain subscriber all. */
    private static void assertSharedGroup(String shared, String topic) throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            List<Mqtt3BlockingClient.Mqtt3Publishes> members = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Mqtt3BlockingClient m = Clients.v3(b, "member" + i);
                m.connect();
                members.add(publishes(m));
                m.subscribeWith().topicFilter(shared).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            Mqtt3BlockingClient plain = Clients.v3(b, "plain");
            plain.connect();
            var plainGot = publishes(plain);
            plain.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

            Mqtt3BlockingClient pub = Clients.v3(b, "share-pub");
            pub.connect();
            int n = 20;
            for (int i = 0; i < n; i++) {
                pub.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }
            for (int i = 0; i < n; i++) {
                assertThat(text(next(plainGot))).isEqualTo("m" + i);
            }
            List<List<String>> perMember = collect(members, n);
            List<String> all = new ArrayList<>(perMember.get(0));
            all.addAll(perMember.get(1));
            assertThat(all).as("each message exactly once across the group").hasSize(n)
                    .doesNotHaveDuplicates();
            assertThat(perMember).as("the group's strategy spreads messages over its members")
                    .allSatisfy(l -> assertThat(l).isNotEmpty());
            for (var m : members) {
                assertThat(quiet(m)).isEmpty();
            }
            pub.disconnect();
        }
    }

    @Test
    void roundRobinAlternatesBetweenMembers() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("broker.shared_subscription_strategy", "round_robin")) {
            List<Mqtt3BlockingClient.Mqtt3Publishes> members = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Mqtt3BlockingClient m = Clients.v3(b, "rr" + i);
                m.connect();
                members.add(publishes(m));
                m.subscribeWith().topicFilter("$share/rr/rr/t").qos(MqttQos.AT_LEAST_ONCE).send();
            }
            Mqtt3BlockingClient pub = Clients.v3(b, "rr-pub");
            pub.connect();
            for (int i = 0; i < 6; i++) {
                pub.publishWith().topic("rr/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
            }
            List<List<String>> perMember = collect(members, 6);
            Set<List<String>> split = new HashSet<>(perMember);
            assertThat(split).as("one member gets the even messages, the other the odd ones")
                    .containsExactlyInAnyOrder(List.of("m0", "m2", "m4"), List.of("m1", "m3", "m5"));
            pub.disconnect();
        }
    }

    /** Receives from every member until {@code n} messages came in all (or 5 s passed). */
    private static List<List<String>> collect(List<Mqtt3BlockingClient.Mqtt3Publishes> members, int n)
            throws InterruptedException {
        List<List<String>> perMember = new ArrayList<>();
        members.forEach(m -> perMember.add(new ArrayList<>()));
        long deadline = System.nanoTime() + Clients.WAIT.toNanos();
        int total = 0;
        while (total < n && System.nanoTime() < deadline) {
            for (int i = 0; i < members.size(); i++) {
                Optional<Mqtt3Publish> m = members.get(i).receive(20, TimeUnit.MILLISECONDS);
                if (m.isPresent()) {
                    perMember.get(i).add(text(m.get()));
                    total++;
                }
            }
        }
        return perMember;
    }

    @Test
    void sharedSubscriptionSurvivesAMemberLeaving() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient stays = Clients.v3(b, "stays");
            stays.connect();
            var got = publishes(stays);
            stays.subscribeWith().topicFilter("$share/g/leave/t").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient leaves = Clients.v3(b, "leaves");
            leaves.connect();
            leaves.subscribeWith().topicFilter("$share/g/leave/t").qos(MqttQos.AT_LEAST_ONCE).send();
            leaves.disconnect();
            Mqtt3BlockingClient pub = Clients.v3(b, "leave-pub");
            pub.connect();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("leave/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("m" + i)).send();
                assertThat(text(next(got))).isEqualTo("m" + i);
            }
            pub.disconnect();
            stays.disconnect();
        }
    }

    @Test
    void localPrefixSubscribesToTheTopicItself() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient sub = Clients.v3(b, "local");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("$local/loc/+").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt3BlockingClient pub = Clients.v3(b, "local-pub");
            pub.connect();
            pub.publishWith().topic("loc/t").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("here")).send();
            Mqtt3Publish m = next(got);
            assertThat(m.getTopic().toString()).isEqualTo("loc/t");
            assertThat(text(m)).isEqualTo("here");
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void topicsDeeperThanMaxTopicLevelsAreRefused() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start("mqtt.max_topic_levels", "3")) {
            try (RawClient c = RawClient.connected(b.port(), 4, "levels", true)) {
                c.send(Packets.subscribe(4, 1, "l/b/c", 1));
                assertThat(c.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
                c.send(Packets.subscribe(4, 2, "l/b/c/d", 1));
                assertThat(c.expect(Packets.SUBACK).subackCodes()).containsExactly(0x80);
                c.send(Packets.subscribe(4, 3, "l/#", 1));
                assertThat(c.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
            }
            Mqtt3BlockingClient sub = Clients.v3(b, "levels-sub");
            sub.connect();
            var got = publishes(sub);
            sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
            try (RawClient deep = RawClient.connected(b.port(), 4, "levels-pub", true)) {
                deep.send(Packets.publish(4, "l/b/c/d", 1, 1, "too deep"));
                deep.closedWithin(QUIET);            // whatever it answers (or a close), it must not route it
            }
            Mqtt3BlockingClient pub = Clients.v3(b, "levels-marker");
            pub.connect();
            pub.publishWith().topic("l/b/c").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("marker")).send();
            assertThat(text(next(got))).isEqualTo("marker");
            assertThat(quiet(got)).isEmpty();
            pub.disconnect();
            sub.disconnect();
        }
    }

    @Test
    void invalidFiltersAreRefusedOneByOne() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start();
             RawClient c = RawClient.connected(b.port(), 4, "bad-filters", true)) {
            int id = 1;
            for (String bad : List.of("a/#/b", "a+", "a/b#", "")) {
                c.send(Packets.subscribe(4, id, bad, 1));
                Packet ack = c.expect(Packets.SUBACK);
                assertThat(ack.packetId()).isEqualTo(id++);
                assertThat(ack.subackCodes()).as(bad).containsExactly(0x80);
            }
            c.send(Packets.subscribe(4, id, "fine/+/#", 1));
            assertThat(c.expect(Packets.SUBACK).subackCodes()).containsExactly(1);
        }
    }
}
