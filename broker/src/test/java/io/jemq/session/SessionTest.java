package io.jemq.session;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.Router;
import io.jemq.sys.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a session holds while its client is away or behind. */
class SessionTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final Counters metrics = new Counters();
    private final BrokerSettings settings = BrokerSettings.from(ConfFile.of(Map.of()));
    private final io.jemq.limits.MemoryBudgets budgets = io.jemq.limits.MemoryBudgets.unlimited();
    private final Router router = new Router(settings.sharedStrategy());
    private final SessionRegistry registry = new SessionRegistry(settings.session(), settings.mqueue(), router,
            metrics, budgets);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private Session offlineSession(String id) {
        return new Session(id, loop, settings.session(), settings.mqueue(), router, registry, metrics, budgets);
    }

    @Test
    void aQueuedMessageDoesNotKeepTheReadBufferItCameInAlive() {
        ByteBuf readBuffer = Unpooled.directBuffer(64 * 1024).writeZero(1000);
        readBuffer.setCharSequence(100, "hello", StandardCharsets.US_ASCII);
        Message m = new Message("t", 1, false, readBuffer.retainedSlice(100, 5), "pub", 0, 0, null);
        readBuffer.release();                               // the decoder is done with it: the slice holds it now
        Session first = offlineSession("a");
        Session second = offlineSession("b");

        first.submit(new Delivery(m.retain(), 1, false, null));
        second.submit(new Delivery(m.retain(), 1, false, null));
        m.release();                                        // routed: the publisher lets go

        await().untilAsserted(() -> assertThat(readBuffer.refCnt()).as("read buffer freed").isZero());
        Message kept = queuedMessage(first);
        assertThat(kept.payload().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(queuedMessage(second)).as("one copy shared by both queues").isSameAs(kept);
    }

    private Message queuedMessage(Session s) {
        Message[] found = new Message[1];
        loop.submit(() -> {
            Delivery d = s.queued().peek();
            found[0] = d == null ? null : d.message();
        }).syncUninterruptibly();
        assertThat(found[0]).as("a queued message").isNotNull();
        return found[0];
    }

    @Test
    void aClosedPublisherIsForgottenByTheSubscriberItWaitedFor() {
        Session s = offlineSession("slow");
        Runnable resume = () -> { };
        s.whenDrained(resume);
        s.forgetPaused(resume);
        assertThat(s.pausedPublisherCount()).isZero();
    }

    @Test
    void aQueueThatStopsMovingIsStalledAndHoldsNobodyBackUntilItMovesAgain() {
        Session s = sevenQueued("500ms");

        assertThat(s.isCongested()).as("7 queued, past the high mark, the queue just started").isTrue();
        await().atMost(java.time.Duration.ofSeconds(5)).until(s::isStalled);
        assertThat(s.isCongested()).as("nothing acknowledged for stall_timeout: stalled, holds nobody back").isFalse();

        loop.submit(() -> s.onPuback(1)).syncUninterruptibly();   // the next message leaves the queue
        assertThat(s.isStalled()).as("moving again").isFalse();
        assertThat(s.isCongested()).as("6 queued, still past the high mark").isTrue();
    }

    @Test
    void aStalledSessionStillHoldsPublishersBackWhileItsInboxOutrunsItsLoop() throws Exception {
        BrokerSettings small = BrokerSettings.from(ConfFile.of(Map.of("mqtt.mqueue.max_length", "10",
                "mqtt.session.max_inflight", "1")));
        Session s = new Session("behind", loop, small.session(), small.mqueue(), router, registry, metrics,
                budgets);
        loop.submit(() -> s.attach(new RecordingOutlet(), 0)).syncUninterruptibly();
        for (int i = 0; i < 8; i++) {
            s.submit(delivery("m" + i));
        }
        await().atMost(java.time.Duration.ofSeconds(5)).until(s::isStalled);

        // the session's loop is busy elsewhere while messages keep being routed to it
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        loop.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < 6; i++) {
            s.submit(delivery("n" + i));
        }
        assertThat(s.isCongested()).as("6 routed and not yet handled: the broker's own backlog").isTrue();
        java.util.concurrent.CountDownLatch resumed = new java.util.concurrent.CountDownLatch(1);
        s.whenDrained(resumed::countDown);

        busy.countDown();
        assertThat(resumed.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("resumed once handled").isTrue();
        assertThat(s.isCongested()).as("handled (the full queue dropped the oldest): stalled again").isFalse();
    }

    @Test
    void aPublisherThatFindsTheSessionCongestedAgainWhileOthersAreResumedWaitsForTheNextDrain() {
        Session s = sevenQueued("30s");                     // the stall clock far off
        java.util.concurrent.atomic.AtomicInteger resumedAgain = new java.util.concurrent.atomic.AtomicInteger();
        boolean[] congestedAgain = new boolean[1];
        // the publisher, resumed: it routes a burst, finds the session behind again and registers anew, while the
        // session's loop is still resuming (on a busy machine the loop is preempted there, the publisher's is not)
        Runnable resumedPublisher = () -> {
            for (int i = 0; i < 6; i++) {
                s.submit(delivery("n" + i));
            }
            congestedAgain[0] = s.isCongested();
            if (congestedAgain[0]) {
                s.whenDrained(resumedAgain::incrementAndGet);
            }
        };
        assertThat(s.isCongested()).isTrue();
        s.whenDrained(resumedPublisher);

        for (int id = 1; id <= 5; id++) {                   // five acknowledged: two queued, the low mark
            int packetId = id;
            loop.submit(() -> s.onPuback(packetId)).syncUninterruptibly();
        }
        loop.submit(() -> { }).syncUninterruptibly();      // the burst handled: eight queued

        assertThat(congestedAgain[0]).as("the burst put it past the high mark").isTrue();
        assertThat(resumedAgain).as("not resumed by the drain it registered after").hasValue(0);
        assertThat(s.pausedPublisherCount()).isEqualTo(1);
        assertThat(s.isCongested()).isTrue();
    }

    /** A connected session with a window of 1 and a queue of 10 (high mark 6, low 2): one in flight, seven queued. */
    private Session sevenQueued(String stallTimeout) {
        BrokerSettings small = BrokerSettings.from(ConfFile.of(Map.of("mqtt.mqueue.max_length", "10",
                "mqtt.session.max_inflight", "1", "mqtt.mqueue.stall_timeout", stallTimeout)));
        Session s = new Session("behind", loop, small.session(), small.mqueue(), router, registry, metrics,
                budgets);
        loop.submit(() -> s.attach(new RecordingOutlet(), 0)).syncUninterruptibly();
        for (int i = 0; i < 8; i++) {
            s.submit(delivery("m" + i));
        }
        loop.submit(() -> { }).syncUninterruptibly();      // drained: one in flight, seven queued
        return s;
    }

    private static Delivery delivery(String payload) {
        return new Delivery(new Message("t", 1, false, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "pub",
                0, 0, null), 1, false, null);
    }

    /** A connection that takes every PUBLISH: records the topics written. */
    private static final class RecordingOutlet implements Outlet {
        final java.util.List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public boolean sendPublish(Delivery d, int packetId, boolean dup) {
            sent.add(d.message().topic());
            return true;
        }

        @Override
        public void sendPubrel(int packetId) {
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public int receiveMaximum() {
            return 65535;
        }

        @Override
        public boolean retriesInflight() {
            return false;
        }

        @Override
        public void flush() {
        }

        @Override
        public void kick() {
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "also subscribed to {0}: delivered = {1}")
    @org.junit.jupiter.params.provider.CsvSource({"'', false", "u/+, true", "other/#, false"})
    void aMessageRoutedWhileTheUnsubscribeWasBeingHandledIsNotSentAfterIt(String alsoSubscribed,
                                                                          boolean delivered) throws Exception {
        Session s = offlineSession("a");
        RecordingOutlet outlet = new RecordingOutlet();
        var filter = io.jemq.routing.TopicFilter.parse("u/t");
        var options = new io.jemq.routing.SubOptions(1, false, false, 0, 0);
        loop.submit(() -> {
            s.attach(outlet, 0);
            s.subscribe(filter, options);
            if (!alsoSubscribed.isEmpty()) {
                s.subscribe(io.jemq.routing.TopicFilter.parse(alsoSubscribed), options);
            }
        }).syncUninterruptibly();

        // the loop is busy with the UNSUBSCRIBE while a publisher on another loop routes to the session
        java.util.concurrent.CountDownLatch routed = new java.util.concurrent.CountDownLatch(1);
        var unsubscribed = loop.submit(() -> {
            routed.await();
            return s.unsubscribe(filter);
        });
        long routedAt = router.removals();                 // what a route reads before it matches
        s.submit(late(routedAt));
        routed.countDown();
        assertThat(unsubscribed.get()).isTrue();
        loop.submit(() -> { }).syncUninterruptibly();      // any drain queued behind the unsubscribe has run

        assertThat(outlet.sent).isEqualTo(delivered ? java.util.List.of("u/t") : java.util.List.of());
    }

    @Test
    void aPublisherPreemptedBetweenMatchingAndSubmittingDoesNotDeliverAfterTheUnsubscribe() {
        Session s = offlineSession("a");
        RecordingOutlet outlet = new RecordingOutlet();
        var filter = io.jemq.routing.TopicFilter.parse("u/t");
        loop.submit(() -> {
            s.attach(outlet, 0);
            s.subscribe(filter, new io.jemq.routing.SubOptions(1, false, false, 0, 0));
        }).syncUninterruptibly();
        long routedAt = router.removals();                 // the route matched the subscription…
        loop.submit(() -> s.unsubscribe(filter)).syncUninterruptibly();   // …UNSUBSCRIBE handled, UNSUBACK out…
        s.submit(late(routedAt));                          // …and only then does the publisher hand it over
        loop.submit(() -> { }).syncUninterruptibly();

        assertThat(outlet.sent).isEmpty();
    }

    private static Delivery late(long routedAt) {
        return new Delivery(new Message("u/t", 1, false, Unpooled.copiedBuffer("late", StandardCharsets.UTF_8),
                "pub", 0, 0, null), 1, false, null, routedAt);
    }
}
