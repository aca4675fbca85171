package io.jemq.routing;

import static io.jemq.routing.TestSubscriber.qos;
import static io.jemq.routing.TestSubscriber.withId;
import static org.assertj.core.api.Assertions.assertThat;

import io.jemq.config.SharedStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RouterTest {

    private final Router router = new Router(SharedStrategy.ROUND_ROBIN);
    private final Deliveries out = new Deliveries();

    private final TestSubscriber alice = new TestSubscriber("alice");
    private final TestSubscriber bob = new TestSubscriber("bob");
    private final TestSubscriber carol = new TestSubscriber("carol");

    @Test
    void overlappingSubscriptionsMergeIntoOneDeliveryWithMaxQosAndAllIds() {
        router.subscribe(alice, TopicFilter.parse("a/+"), withId(0, 7));
        router.subscribe(alice, TopicFilter.parse("a/#"), new SubOptions(2, false, true, 0, 9));
        router.subscribe(alice, TopicFilter.parse("a/b"), qos(1));
        router.subscribe(bob, TopicFilter.parse("a/b"), qos(0));

        route("a/b", "pub");

        assertThat(out.size()).isEqualTo(2);
        int a = indexOf(alice, false);
        assertThat(out.qos(a)).isEqualTo(2);
        assertThat(out.retainAsPublished(a)).isTrue();
        assertThat(out.subscriptionIds(a)).containsExactlyInAnyOrder(7, 9);
        int b = indexOf(bob, false);
        assertThat(out.qos(b)).isZero();
        assertThat(out.retainAsPublished(b)).isFalse();
        assertThat(out.subscriptionIds(b)).isEmpty();
    }

    @Test
    void theSameIdOnTwoMatchingFiltersIsListedOnce() {
        router.subscribe(alice, TopicFilter.parse("a/+"), withId(1, 5));
        router.subscribe(alice, TopicFilter.parse("+/b"), withId(0, 5));

        route("a/b", "pub");

        assertThat(out.size()).isEqualTo(1);
        assertThat(out.subscriptionIds(0)).containsExactly(5);
        assertThat(out.qos(0)).isEqualTo(1);
    }

    @Test
    void manySubscribersMergeCorrectlyPastTheLinearScan() {
        List<TestSubscriber> subs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            TestSubscriber s = new TestSubscriber("c" + i);
            subs.add(s);
            router.subscribe(s, TopicFilter.parse("x/+"), withId(0, 100 + i));
            router.subscribe(s, TopicFilter.parse("x/#"), withId(i % 3, 200 + i));
        }
        router.subscribe(alice, TopicFilter.parse("$share/g/x/y"), qos(1));

        route("x/y", "pub");

        assertThat(out.size()).isEqualTo(51);
        for (int i = 0; i < 50; i++) {
            int e = indexOf(subs.get(i), false);
            assertThat(out.qos(e)).isEqualTo(i % 3);
            assertThat(out.subscriptionIds(e)).containsExactlyInAnyOrder(100 + i, 200 + i);
        }
        assertThat(out.shared(indexOf(alice, true))).isTrue();
    }

    @Test
    void routeAppendsWithoutMergingIntoEntriesOfAnEarlierMessage() {
        router.subscribe(alice, TopicFilter.parse("a"), qos(0));
        router.subscribe(alice, TopicFilter.parse("b"), qos(1));

        route("a", "pub");
        router.route("b", "pub", out);

        assertThat(out.size()).isEqualTo(2);
        assertThat(out.qos(0)).isZero();
        assertThat(out.qos(1)).isEqualTo(1);
    }

    @Test
    void resubscribingReplacesTheOptions() {
        assertThat(router.subscribe(alice, TopicFilter.parse("a"), qos(0))).isTrue();
        assertThat(router.subscribe(alice, TopicFilter.parse("a"), qos(2))).isFalse();

        route("a", "pub");

        assertThat(out.size()).isEqualTo(1);
        assertThat(out.qos(0)).isEqualTo(2);
        assertThat(router.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void noLocalSkipsOnlyTheSubscribersOwnMessages() {
        router.subscribe(alice, TopicFilter.parse("chat/#"), new SubOptions(1, true, false, 0, 0));
        router.subscribe(alice, TopicFilter.parse("chat/room"), qos(0));
        router.subscribe(bob, TopicFilter.parse("chat/#"), new SubOptions(1, true, false, 0, 0));

        route("chat/room", "alice");
        // alice still gets it through her plain subscription, at its QoS
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.qos(indexOf(alice, false))).isZero();
        assertThat(out.qos(indexOf(bob, false))).isEqualTo(1);

        route("chat/other", "alice");
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.subscriber(0)).isSameAs(bob);

        route("chat/other", null);
        assertThat(out.size()).isEqualTo(2);
    }

    @Test
    void dollarTopicsAreNotMatchedByLeadingWildcards() {
        router.subscribe(alice, TopicFilter.parse("#"), qos(0));
        router.subscribe(bob, TopicFilter.parse("+/brokers/#"), qos(0));
        router.subscribe(carol, TopicFilter.parse("$SYS/#"), qos(0));

        route("$SYS/brokers/uptime", null);

        assertThat(subscribers()).containsExactly(carol);
    }

    @Test
    void hashMatchesTheParentLevelAndPlusMatchesEmptyLevels() {
        router.subscribe(alice, TopicFilter.parse("sport/#"), qos(0));
        router.subscribe(bob, TopicFilter.parse("+/+"), qos(0));
        router.subscribe(carol, TopicFilter.parse("sport/+"), qos(0));

        route("sport", null);
        assertThat(subscribers()).containsExactly(alice);

        route("/finance", null);
        assertThat(subscribers()).containsExactly(bob);

        route("sport/", null);
        assertThat(subscribers()).containsExactlyInAnyOrder(alice, bob, carol);
    }

    @Test
    void aSubscriberGetsBothItsSharedAndItsOwnDelivery() {
        router.subscribe(alice, TopicFilter.parse("$share/g/t"), qos(1));
        router.subscribe(alice, TopicFilter.parse("t"), qos(0));

        route("t", "pub");

        assertThat(out.size()).isEqualTo(2);
        assertThat(out.qos(indexOf(alice, true))).isEqualTo(1);
        assertThat(out.qos(indexOf(alice, false))).isZero();
    }

    @Test
    void eachMatchingGroupDeliversOnce() {
        router.subscribe(alice, TopicFilter.parse("$share/g1/t/+"), qos(0));
        router.subscribe(bob, TopicFilter.parse("$share/g1/t/+"), qos(0));
        router.subscribe(carol, TopicFilter.parse("$share/g2/t/+"), qos(0));
        router.subscribe(alice, TopicFilter.parse("$share/g1/t/#"), qos(0));  // another filter: another group
        router.subscribe(bob, TopicFilter.parse("$queue/t/x"), qos(0));

        route("t/x", "pub");

        assertThat(out.size()).isEqualTo(4);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.shared(i)).isTrue();
        }
    }

    @Test
    void roundRobinCyclesThroughTheMembers() {
        List<TestSubscriber> members = List.of(alice, bob, carol);
        members.forEach(m -> router.subscribe(m, TopicFilter.parse("$share/g/jobs"), qos(1)));

        List<Subscriber> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            route("jobs", "pub");
            assertThat(out.size()).isEqualTo(1);
            got.add(out.subscriber(0));
        }

        assertThat(got.subList(0, 3)).containsExactlyInAnyOrderElementsOf(members);
        assertThat(got.subList(3, 6)).isEqualTo(got.subList(0, 3));
    }

    @Test
    void stickyKeepsTheMemberUntilItLeaves() {
        Router sticky = new Router(SharedStrategy.STICKY);
        List<TestSubscriber> members = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            members.add(new TestSubscriber("member-" + i));
        }
        members.forEach(m -> sticky.subscribe(m, TopicFilter.parse("$queue/jobs"), qos(1)));

        Subscriber first = routeOne(sticky, "jobs", "p1");
        for (int i = 0; i < 20; i++) {
            assertThat(routeOne(sticky, "jobs", "p" + i)).isSameAs(first);
        }
        // new options are not leaving (repeated so that a lucky fresh pick cannot pass for stickiness)
        for (int q = 0; q < 5; q++) {
            sticky.subscribe(first, TopicFilter.parse("$queue/jobs"), qos(q % 3));
            assertThat(routeOne(sticky, "jobs", "p")).isSameAs(first);
            assertThat(out.qos(0)).isEqualTo(q % 3);
        }

        sticky.unsubscribe(first, TopicFilter.parse("$queue/jobs"));
        Subscriber second = routeOne(sticky, "jobs", "p");
        assertThat(second).isNotSameAs(first).isIn(members);
        for (int i = 0; i < 20; i++) {
            assertThat(routeOne(sticky, "jobs", "p" + i)).isSameAs(second);
        }
    }

    @Test
    void hashIsStablePerPublisherAndSpreadsPublishers() {
        Router hash = new Router(SharedStrategy.HASH);
        List<TestSubscriber> members = List.of(alice, bob, carol);
        members.forEach(m -> hash.subscribe(m, TopicFilter.parse("$share/g/jobs"), qos(1)));

        Set<Subscriber> seen = new HashSet<>();
        for (int p = 0; p < 30; p++) {
            Subscriber chosen = routeOne(hash, "jobs", "publisher-" + p);
            for (int i = 0; i < 5; i++) {
                assertThat(routeOne(hash, "jobs", "publisher-" + p)).isSameAs(chosen);
            }
            seen.add(chosen);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(members);
        assertThat(routeOne(hash, "jobs", null)).isIn(members);
    }

    @Test
    void randomEventuallyReachesEveryMember() {
        Router random = new Router(SharedStrategy.RANDOM);
        List<TestSubscriber> members = List.of(alice, bob, carol);
        members.forEach(m -> random.subscribe(m, TopicFilter.parse("$share/g/jobs"), qos(1)));

        Set<Subscriber> seen = new HashSet<>();
        for (int i = 0; i < 1000 && seen.size() < 3; i++) {
            seen.add(routeOne(random, "jobs", "pub"));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(members);
    }

    @ParameterizedTest
    @EnumSource(SharedStrategy.class)
    void aGroupWhoseMembersAllLeftDeliversNothing(SharedStrategy strategy) {
        Router r = new Router(strategy);
        r.subscribe(alice, TopicFilter.parse("$share/g/t"), qos(0));
        r.subscribe(bob, TopicFilter.parse("$share/g/t"), qos(0));
        routeOne(r, "t", "pub");
        r.unsubscribe(alice, TopicFilter.parse("$share/g/t"));
        assertThat(routeOne(r, "t", "pub")).isSameAs(bob);
        r.unsubscribe(bob, TopicFilter.parse("$share/g/t"));

        out.clear();
        r.route("t", "pub", out);
        assertThat(out.size()).isZero();
    }

    @Test
    void countsSubscriptionsAndTopics() {
        router.subscribe(alice, TopicFilter.parse("a"), qos(0));
        router.subscribe(bob, TopicFilter.parse("a"), qos(0));
        router.subscribe(alice, TopicFilter.parse("$share/g/a"), qos(0));
        router.subscribe(bob, TopicFilter.parse("$queue/b/#"), qos(0));
        assertThat(router.subscriptionCount()).isEqualTo(4);
        assertThat(router.topicCount()).isEqualTo(2);

        assertThat(router.unsubscribe(alice, TopicFilter.parse("a"))).isTrue();
        assertThat(router.unsubscribe(alice, TopicFilter.parse("a"))).isFalse();
        assertThat(router.unsubscribe(carol, TopicFilter.parse("b/#"))).isFalse();
        assertThat(router.unsubscribe(bob, TopicFilter.parse("$share/other/b/#"))).isFalse();
        assertThat(router.subscriptionCount()).isEqualTo(3);
        assertThat(router.topicCount()).isEqualTo(2);

        router.unsubscribe(bob, TopicFilter.parse("a"));
        router.unsubscribe(alice, TopicFilter.parse("$share/g/a"));
        router.unsubscribe(bob, TopicFilter.parse("$queue/b/#"));
        assertThat(router.subscriptionCount()).isZero();
        assertThat(router.topicCount()).isZero();
    }

    @Test
    void unsubscribingEverythingLeavesNoNodesBehind() {
        List<TopicFilter> filters = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            filters.add(TopicFilter.parse("devices/" + i + "/+/state"));
            filters.add(TopicFilter.parse("devices/" + i + "/#"));
            filters.add(TopicFilter.parse("$share/g" + (i % 3) + "/devices/+/" + i));
            filters.add(TopicFilter.parse("root" + i));
        }
        for (int round = 0; round < 3; round++) {
            for (TopicFilter f : filters) {
                router.subscribe(alice, f, qos(1));
                router.subscribe(bob, f, qos(0));
            }
            assertThat(router.nodeCount()).isPositive();
            for (TopicFilter f : filters) {
                router.unsubscribe(alice, f);
                router.unsubscribe(bob, f);
            }
            assertThat(router.nodeCount()).isZero();
            assertThat(router.rootCapacity()).isZero();
            assertThat(router.subscriptionCount()).isZero();
            assertThat(router.topicCount()).isZero();
        }
        route("devices/1/x/state", "pub");
        assertThat(out.size()).isZero();
    }

    @Test
    void childTablesShrinkWhenMostChildrenLeave() {
        for (int i = 0; i < 1000; i++) {
            router.subscribe(alice, TopicFilter.parse("t" + i), qos(0));
        }
        int full = router.rootCapacity();
        for (int i = 1; i < 1000; i++) {
            router.unsubscribe(alice, TopicFilter.parse("t" + i));
        }
        assertThat(router.rootCapacity()).isLessThan(full / 100);
        route("t0", "pub");
        assertThat(subscribers()).containsExactly(alice);
    }

    @Test
    void deepTopicsDoNotExhaustTheStack() {
        String deep = "a/".repeat(20_000) + "b";
        router.subscribe(alice, TopicFilter.parse("#"), qos(0));
        router.subscribe(bob, TopicFilter.parse(deep), qos(0));

        route(deep, "pub");

        assertThat(subscribers()).containsExactlyInAnyOrder(alice, bob);
        router.unsubscribe(bob, TopicFilter.parse(deep));
        router.unsubscribe(alice, TopicFilter.parse("#"));
        assertThat(router.nodeCount()).isZero();
    }

    private void route(String topic, String publisher) {
        out.clear();
        router.route(topic, publisher, out);
    }

    private Subscriber routeOne(Router r, String topic, String publisher) {
        out.clear();
        r.route(topic, publisher, out);
        assertThat(out.size()).isEqualTo(1);
        return out.subscriber(0);
    }

    private List<Subscriber> subscribers() {
        List<Subscriber> list = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            list.add(out.subscriber(i));
        }
        return list;
    }

    private int indexOf(Subscriber s, boolean shared) {
        for (int i = 0; i < out.size(); i++) {
            if (out.subscriber(i) == s && out.shared(i) == shared) {
                return i;
            }
        }
        throw new AssertionError("no " + (shared ? "shared " : "") + "delivery for " + s);
    }
}
