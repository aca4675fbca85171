package io.jemq.store.rocksdb;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.config.StorageSettings;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.session.SessionSnapshot;
import io.jemq.store.StoredSession;
import io.jemq.sys.Alarms;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker starting on a store that holds 1,000 persistent sessions with 100,000 queued messages between them and
 * 10,000 retained messages: everything is back before the listener opens, and a client gets its queue. The start-up
 * time is printed (docs/performance.md, "Disk store").
 */
class LargeStoreRestartIT {
    private static final int SESSIONS = 1_000;
    private static final int PER_SESSION = 100;
    private static final int RETAINED = 10_000;
    private static final byte[] PAYLOAD = new byte[100];

    @TempDir
    Path home;

    @Test
    void aHundredThousandQueuedMessagesAndTenThousandRetainedComeBack() throws Exception {
        fill(home.resolve("data/store"));
        long t0 = System.nanoTime();
        try (EmbeddedBroker b = EmbeddedBroker.in(home).set("mqtt.storage", "disk")
                .set("mqtt.mqueue.max_length", "0").start()) {
            long startMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            List<SessionSnapshot> sessions = b.broker().sessionsView().sessions().get(30, TimeUnit.SECONDS);
            long queued = sessions.stream().mapToLong(SessionSnapshot::queued).sum();
            System.out.printf("LargeStoreRestartIT: broker started in %d ms with %d sessions, %d queued messages, "
                    + "%d retained messages%n", startMillis, sessions.size(), queued, b.broker().retainer().size());
            assertThat(sessions).hasSize(SESSIONS);
            assertThat(queued).isEqualTo((long) SESSIONS * PER_SESSION);
            assertThat(b.broker().retainer().size()).isEqualTo(RETAINED);
            assertThat(b.broker().router().subscriptionCount()).isEqualTo(SESSIONS);

            Mqtt3BlockingClient c = Clients.v3(b, "s-7");
            try (var publishes = Clients.publishes(c)) {
                c.connectWith().cleanSession(false).send();
                for (int i = 0; i < PER_SESSION; i++) {
                    assertThat(Clients.next(publishes).getTopic().toString()).isEqualTo("load/7/" + i);
                }
            }
            c.disconnect();
        }
    }

    /** Writes the sessions and messages through the store, as a broker would have, and closes it. */
    private static void fill(Path dir) throws Exception {
        StorageSettings settings = new StorageSettings(StorageSettings.Mode.DISK, dir, StorageSettings.Sync.NONE,
                Duration.ofSeconds(1), 0);
        RocksStore store = new RocksStore(settings, 0, new Alarms());
        try {
            long now = System.currentTimeMillis();
            for (int s = 0; s < SESSIONS; s++) {
                StoredSession session = store.sessions().create("s-" + s, now);
                session.expirySeconds(0xFFFFFFFFL);
                session.subscribe(TopicFilter.parse("load/" + s + "/#"), new SubOptions(1, false, false, 0, 0));
                for (int i = 0; i < PER_SESSION; i++) {
                    Delivery d = new Delivery(message("load/" + s + "/" + i), 1, false, null);
                    session.accept(d);
                    d.release();
                }
            }
            for (int r = 0; r < RETAINED; r++) {
                store.retained().put("retained/" + r, message("retained/" + r));
            }
            CountDownLatch durable = new CountDownLatch(1);
            store.retained().durable().whenDone(durable::countDown);
            assertThat(durable.await(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            store.close();
            store.retained().forEach((t, m) -> m.release());
        }
    }

    private static Message message(String topic) {
        return new Message(topic, 1, false, Unpooled.wrappedBuffer(PAYLOAD), "load", System.currentTimeMillis(), 0,
                null);
    }
}
