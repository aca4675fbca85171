package io.jemq.session;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.message.Message;
import io.jemq.routing.Router;
import io.jemq.sys.Metrics;
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
class SessionQueueTest {
    private final EventLoop loop = new DefaultEventLoop();
    private final Metrics metrics = new Metrics();
    private final BrokerSettings settings = BrokerSettings.from(ConfFile.of(Map.of()));
    private final Router router = new Router(settings.sharedStrategy());
    private final SessionRegistry registry = new SessionRegistry(settings.session(), settings.mqueue(), router,
            metrics);

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    private Session offlineSession(String id) {
        return new Session(id, loop, settings.session(), settings.mqueue(), router, registry, metrics);
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
            found[0] = d == null ? null : d.message;
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
}
