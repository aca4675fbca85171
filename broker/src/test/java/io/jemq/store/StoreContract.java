package io.jemq.store;

import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Store} must do, whatever keeps the data: each implementation's test extends this class and says
 * how to make one. Message ownership is part of the contract: the store holds exactly the references it says it
 * holds, and gives them all back when a session is deleted.
 */
public abstract class StoreContract {
    private Store store;

    /** A fresh, empty store. @param maxRetained retainer.max_message_num (0 = unlimited) */
    protected abstract Store newStore(long maxRetained);

    @BeforeEach
    protected void open() {
        store = newStore(0);
    }

    @AfterEach
    protected void close() {
        store.close();
    }

    protected static Message message(String topic, String payload) {
        return new Message(topic, 1, false, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "pub",
                System.currentTimeMillis(), 0, null);
    }

    private static Delivery delivery(String topic, int qos) {
        return new Delivery(message(topic, topic), qos, false, null);
    }

    /** Waits for a write to be durable, as a caller acknowledging a publisher would. */
    protected static void awaitDurable(Written w) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        w.whenDone(done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).as("durable").isTrue();
        assertThat(w.isDone()).isTrue();
    }

    // ---------------------------------------------------------------- sessions

    @Test
    void aNewSessionIsEmpty() {
        StoredSession s = store.sessions().create("c1", 1234);
        assertThat(s.clientId()).isEqualTo("c1");
        assertThat(s.createdAtMillis()).isEqualTo(1234);
        assertThat(s.subscriptions()).isEmpty();
        assertThat(s.queue().isEmpty()).isTrue();
        assertThat(s.inflight().isEmpty()).isTrue();
        assertThat(s.qos2().isEmpty()).isTrue();
        assertThat(s.will()).isNull();
        assertThat(s.expirySeconds()).isZero();
    }

    @Test
    void subscriptionsAreKeptInTheOrderMadeAndReplacingReturnsTheOldOptions() {
        StoredSession s = store.sessions().create("c1", 0);
        SubOptions q1 = new SubOptions(1, false, false, 0, 0);
        SubOptions q2 = new SubOptions(2, true, false, 1, 7);
        assertThat(s.subscribe(TopicFilter.parse("b/#"), q1)).isNull();
        assertThat(s.subscribe(TopicFilter.parse("$share/g/a"), q1)).isNull();
        assertThat(s.subscribe(TopicFilter.parse("b/#"), q2)).isEqualTo(q1);
        assertThat(s.subscriptions().keySet()).containsExactly(TopicFilter.parse("b/#"),
                TopicFilter.parse("$share/g/a"));
        assertThat(s.subscriptions().get(TopicFilter.parse("b/#"))).isEqualTo(q2);

        assertThat(s.unsubscribe(TopicFilter.parse("b/#"))).isTrue();
        assertThat(s.unsubscribe(TopicFilter.parse("b/#"))).as("already gone").isFalse();
        assertThat(s.subscriptions().keySet()).containsExactly(TopicFilter.parse("$share/g/a"));
    }

    @Test
    void expiryIsKept() throws InterruptedException {
        StoredSession s = store.sessions().create("c1", 0);
        awaitDurable(s.expirySeconds(0xFFFFFFFFL));
        assertThat(s.expirySeconds()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void aWillIsKeptWithAReferenceOfItsOwnUntilReplacedOrCleared() throws InterruptedException {
        StoredSession s = store.sessions().create("c1", 0);
        Message first = message("will/1", "gone");
        awaitDurable(s.will(first, 30));
        first.release();                                          // the connection lets go; the store still holds it
        assertThat(first.refCnt()).isEqualTo(1);
        assertThat(s.will().topic()).isEqualTo("will/1");
        assertThat(s.willDelaySeconds()).isEqualTo(30);

        Message second = message("will/2", "gone");
        s.will(second, 0);
        assertThat(first.refCnt()).as("the replaced will is released").isZero();
        s.will(null, 0);
        assertThat(s.will()).isNull();
        assertThat(second.refCnt()).as("still the caller's").isEqualTo(1);
        second.release();
    }

    @Test
    void deletingASessionReleasesEveryMessageItHeld() throws InterruptedException {
        StoredSession s = store.sessions().create("c1", 0);
        Delivery queued = delivery("q", 1);
        Delivery inflight = delivery("i", 1);
        Message will = message("w", "w");
        s.queue().add(queued);
        s.inflight().add(inflight, 0);
        s.will(will, 0);
        s.subscribe(TopicFilter.parse("a"), new SubOptions(1, false, false, 0, 0));
        s.qos2().receive(5, 0);

        awaitDurable(s.delete());
        assertThat(queued.message().refCnt()).isZero();
        assertThat(inflight.message().refCnt()).isZero();
        assertThat(will.refCnt()).as("the caller's reference is left").isEqualTo(1);
        assertThat(s.subscriptions()).isEmpty();
        assertThat(s.qos2().isEmpty()).isTrue();
        will.release();
    }

    @Test
    void creatingASessionAgainStartsItEmpty() {
        StoredSession first = store.sessions().create("c1", 0);
        first.subscribe(TopicFilter.parse("a"), new SubOptions(1, false, false, 0, 0));
        first.delete();
        assertThat(store.sessions().create("c1", 0).subscriptions()).isEmpty();
    }

    // ---------------------------------------------------------------- queue

    @Test
    void theQueueIsFirstInFirstOut() throws InterruptedException {
        MessageQueue q = store.sessions().create("c1", 0).queue();
        Delivery a = delivery("a", 1);
        Delivery b = delivery("b", 0);
        awaitDurable(q.add(a));
        q.add(b);
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.peek()).isSameAs(a);
        assertThat(q.size()).as("peek leaves it").isEqualTo(2);
        assertThat(q.poll()).isSameAs(a);
        assertThat(q.poll()).isSameAs(b);
        assertThat(q.poll()).isNull();
        assertThat(q.isEmpty()).isTrue();
        assertThat(a.message().refCnt()).as("polled: the caller's now").isEqualTo(1);
        a.release();
        b.release();
    }

    @Test
    void clearingTheQueueReleasesWhatItHeld() {
        MessageQueue q = store.sessions().create("c1", 0).queue();
        Delivery a = delivery("a", 1);
        q.add(a);
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(a.message().refCnt()).isZero();
    }

    // ---------------------------------------------------------------- inflight window

    @Test
    void packetIdsAreHandedOutInSequenceWithTheStageOfTheirQos() {
        InflightWindow w = store.sessions().create("c1", 0).inflight();
        InflightEntry one = w.add(delivery("a", 1), 10);
        InflightEntry two = w.add(delivery("b", 2), 20);
        assertThat(one.packetId()).isEqualTo(1);
        assertThat(one.stage()).isEqualTo(InflightWindow.Stage.AWAITING_PUBACK);
        assertThat(two.packetId()).isEqualTo(2);
        assertThat(two.stage()).isEqualTo(InflightWindow.Stage.AWAITING_PUBREC);
        assertThat(w.get(2)).isSameAs(two);
        assertThat(w.size()).isEqualTo(2);
        w.clear();
    }

    @Test
    void packetIdsWrapAfter65535AndSkipIdsStillInUse() {
        InflightWindow w = store.sessions().create("c1", 0).inflight();
        InflightEntry first = w.add(delivery("kept", 1), 0);            // id 1 stays in flight
        for (int id = 2; id <= 65535; id++) {
            InflightEntry e = w.add(delivery("t", 1), 0);
            assertThat(e.packetId()).isEqualTo(id);
            w.remove(id).delivery().release();
        }
        assertThat(w.add(delivery("wrapped", 1), 0).packetId()).as("1 is taken: skipped").isEqualTo(2);
        assertThat(first.packetId()).isEqualTo(1);
        w.clear();
    }

    @Test
    void aPubrecMovesTheEntryOnAndHandsItsPayloadBack() {
        InflightWindow w = store.sessions().create("c1", 0).inflight();
        Delivery d = delivery("a", 2);
        InflightEntry e = w.add(d, 0);
        Delivery released = w.released(e, 99);
        assertThat(released).isSameAs(d);
        assertThat(e.stage()).isEqualTo(InflightWindow.Stage.AWAITING_PUBCOMP);
        assertThat(e.delivery()).isNull();
        assertThat(e.sentAtNanos).isEqualTo(99);
        assertThat(w.get(e.packetId())).as("the id stays in use until PUBCOMP").isSameAs(e);
        released.release();
        assertThat(w.remove(e.packetId())).isSameAs(e);
        assertThat(w.isEmpty()).isTrue();
    }

    @Test
    void entriesComeBackInTheOrderFirstSent() {
        InflightWindow w = store.sessions().create("c1", 0).inflight();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(w.add(delivery("t" + i, 1), i).packetId());
        }
        w.remove(ids.get(3)).delivery().release();
        ids.remove(3);
        assertThat(w.inSendOrder()).extracting(InflightEntry::packetId).containsExactlyElementsOf(ids);
        w.clear();
    }

    @Test
    void clearingTheWindowReleasesWhatItHeld() {
        InflightWindow w = store.sessions().create("c1", 0).inflight();
        Delivery d = delivery("a", 1);
        w.add(d, 0);
        w.clear();
        assertThat(w.isEmpty()).isTrue();
        assertThat(d.message().refCnt()).isZero();
    }

    // ---------------------------------------------------------------- QoS 2 receipts

    @Test
    void aQos2PacketIdAwaitsReleaseUntilPubrelOrTimeout() throws InterruptedException {
        Qos2Receipts r = store.sessions().create("c1", 0).qos2();
        assertThat(r.awaitsRelease(7)).isFalse();
        awaitDurable(r.receive(7, 1_000));
        r.receive(8, 5_000);
        assertThat(r.awaitsRelease(7)).isTrue();
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.release(7)).isTrue();
        assertThat(r.release(7)).as("released once").isFalse();

        r.expire(9_000, 4_000);                      // received at 5_000: exactly the timeout ago
        assertThat(r.awaitsRelease(8)).isFalse();
        assertThat(r.isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- retained messages

    @Test
    void retainedMessagesAreReplacedPerTopicAndMatchedByFilter() throws InterruptedException {
        RetainedMessages r = store.retained();
        Message a1 = message("a/1", "x");
        Message a1b = message("a/1", "y");
        Message b = message("b", "z");
        assertThat(r.put("a/1", a1)).isEqualTo(new Put<>(true, null));
        assertThat(r.put("b", b).stored()).isTrue();
        assertThat(r.put("a/1", a1b)).isEqualTo(new Put<>(true, a1));
        awaitDurable(r.durable());
        assertThat(r.get("a/1")).isSameAs(a1b);
        assertThat(r.size()).isEqualTo(2);

        List<String> matched = new ArrayList<>();
        r.match("a/+", m -> matched.add(m.topic()));
        assertThat(matched).containsExactly("a/1");
        List<String> all = new ArrayList<>();
        r.forEach((t, m) -> all.add(t));
        assertThat(all).containsExactlyInAnyOrder("a/1", "b");

        assertThat(r.remove("a/1")).isSameAs(a1b);
        assertThat(r.remove("a/1")).isNull();
        assertThat(r.get("a/1")).isNull();
        r.remove("b");
        List.of(a1, a1b, b).forEach(Message::release);
    }

    @Test
    void aFullRetainedStoreRefusesNewTopicsButReplacesKnownOnes() {
        store.close();
        store = newStore(1);
        RetainedMessages r = store.retained();
        Message a = message("a", "1");
        Message b = message("b", "2");
        Message a2 = message("a", "3");
        assertThat(r.put("a", a).stored()).isTrue();
        assertThat(r.put("b", b).stored()).as("max_message_num 1").isFalse();
        assertThat(r.put("a", a2)).isEqualTo(new Put<>(true, a));
        r.remove("a");
        List.of(a, b, a2).forEach(Message::release);
    }

    @Test
    void aNewStoreFindsNoSessionsOfAnotherStore() {
        assertThat(store.sessions().recovered()).isEmpty();
    }
}
