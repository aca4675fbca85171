package io.jemq.store.rocksdb;

import io.jemq.config.StorageSettings;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.StoredSession;
import io.jemq.sys.Alarms;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restarted store makes of the states a kill -9 can leave a QoS 2 delivery in. */
class RocksStoreRecoveryTest {
    @TempDir
    Path dir;

    private RocksStore open() throws Exception {
        return new RocksStore(new StorageSettings(StorageSettings.Mode.DISK, dir, StorageSettings.Sync.BATCH,
                Duration.ofSeconds(1), 0), 0, new Alarms());
    }

    private static Delivery qos2(String payload) {
        return new Delivery(new Message("t", 2, false, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8), "p",
                System.currentTimeMillis(), 0, null), 2, false, null);
    }

    private static void durable(RocksStore store) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        store.log().current().whenDone(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMessagePastPubrecWhosePayloadDeleteWasLostComesBackAsItsPubrelNotAsANewMessage() throws Exception {
        int packetId;
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().create("c", 0);
            s.expirySeconds(0xFFFFFFFFL);
            Delivery d = qos2("once");
            s.accept(d);
            InflightEntry e = s.inflight().add(d, 0);
            packetId = e.packetId();
            // PUBREC: its stage was written, the crash came before the payload's delete was
            store.log().submit(Op.put(Keys.message(Keys.INFLIGHT, ((DiskSession) s).incarnation(), d.storeKey()),
                    Codec.inflight(packetId, true)));
            durable(store);
            s.unload();
        }
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().recovered().get(0);
            assertThat(s.queue().isEmpty()).as("not queued again: it would be delivered twice").isTrue();
            InflightEntry e = s.inflight().get(packetId);
            assertThat(e.stage()).isEqualTo(InflightWindow.Stage.AWAITING_PUBCOMP);
            assertThat(s.inflight().size()).isEqualTo(1);
            s.unload();
        }
    }

    @Test
    void aQos2MessageWithItsPacketIdComesBackInFlightUnderThatId() throws Exception {
        int packetId;
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().create("c", 0);
            s.expirySeconds(0xFFFFFFFFL);
            s.inflight().add(qos2("skip"), 0).delivery();      // id 1 in use, then acknowledged
            s.inflight().remove(1).delivery().release();
            Delivery d = qos2("kept");
            s.accept(d);
            packetId = s.inflight().add(d, 0).packetId();
            Delivery waiting = qos2("queued");
            s.accept(waiting);
            s.queue().add(waiting);
            durable(store);
            s.unload();
        }
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().recovered().get(0);
            InflightEntry e = s.inflight().get(packetId);
            assertThat(e.stage()).isEqualTo(InflightWindow.Stage.AWAITING_PUBREC);
            assertThat(e.delivery().message().payload().toString(StandardCharsets.UTF_8)).isEqualTo("kept");
            assertThat(s.queue().size()).isEqualTo(1);
            assertThat(s.inflight().add(s.queue().poll(), 0).packetId()).as("a free id").isNotEqualTo(packetId);
            s.unload();
        }
    }

    @Test
    void aMessageAcknowledgedBeforeThePublishersUnitIsEnqueuedIsNotRecovered() throws Exception {
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().create("fast", 0);
            s.expirySeconds(0xFFFFFFFFL);
            Delivery d = qos2("acked early");
            store.beginUnit();                      // the publisher routes: its unit holds the put
            s.accept(d);
            // the subscriber, on another loop, acknowledges before the publisher's unit is enqueued
            Thread subscriber = new Thread(() -> s.finished(d));
            subscriber.start();
            subscriber.join();
            store.endUnit();
            durable(store);
            s.unload();
        }
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().recovered().get(0);
            assertThat(s.queue().isEmpty()).as("its delete followed its put").isTrue();
            assertThat(s.inflight().isEmpty()).isTrue();
        }
    }

    @Test
    void subscriptionsMadeInOneUnitAreWrittenAsOneRecordAndAllComeBack() throws Exception {
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().create("many", 0);
            s.expirySeconds(0xFFFFFFFFL);
            durable(store);
            long before = store.log().writes();
            store.beginUnit();
            for (int i = 0; i < 2000; i++) {         // one SUBSCRIBE of many filters
                s.subscribe(TopicFilter.parse("f/" + i), new SubOptions(1, false, false, 0, 0));
            }
            s.unsubscribe(TopicFilter.parse("f/0"));
            CountDownLatch done = new CountDownLatch(1);
            store.endUnit().whenDone(done::countDown);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(store.log().writes() - before).as("the record, once, not per filter").isEqualTo(1);
            s.unload();
        }
        try (RocksStore store = open()) {
            StoredSession s = store.sessions().recovered().get(0);
            assertThat(s.subscriptions()).hasSize(1999).containsKey(TopicFilter.parse("f/1999"))
                    .doesNotContainKey(TopicFilter.parse("f/0"));
            s.unload();
        }
    }

}
