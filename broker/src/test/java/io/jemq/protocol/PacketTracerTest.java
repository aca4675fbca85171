package io.jemq.protocol;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tracing seam: a tracer's handler goes behind the framer of the connections it picks, and of a connected client
 * on demand, and sees each whole packet both ways as bytes; the others get none; a stopped trace is taken out.
 */
class PacketTracerTest {

    /** Records the packet type of each buffer that passes, "in 3" or "out 2". */
    static final class Recorder extends ChannelDuplexHandler {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                seen.add("in " + (b.getUnsignedByte(b.readerIndex()) >> 4));
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                seen.add("out " + (b.getUnsignedByte(b.readerIndex()) >> 4));
            }
            ctx.write(msg, promise);
        }
    }

    @Test
    void onlyTheConnectionsTheTracerPicksCarryItsHandler() {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Recorder recorder = new Recorder();
            AtomicInteger asked = new AtomicInteger();
            b.broker().clients().tracer((connect, channel) -> {
                asked.incrementAndGet();
                return connect.payload().clientIdentifier().equals("traced") ? recorder : null;
            });
            Mqtt3BlockingClient plain = Clients.v3(b, "plain");
            plain.connect();
            Mqtt3BlockingClient traced = Clients.v3(b, "traced");
            traced.connect();
            traced.publishWith().topic("t").payload(new byte[]{1}).send();
            plain.publishWith().topic("t").payload(new byte[]{2}).send();
            traced.disconnect();
            plain.disconnect();

            assertThat(asked).hasValue(2);
            // CONNECT was read before the handler went in; CONNACK out, PUBLISH in, DISCONNECT in
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.seen.contains("in 14"));
            assertThat(recorder.seen).containsExactly("out 2", "in 3", "in 14");
        }
    }

    @Test
    void aConnectedClientIsTracedOnDemandAndNoLongerOnceStopped() throws Exception {
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            Mqtt3BlockingClient c = Clients.v3(b, "live");
            c.connect();
            Recorder recorder = new Recorder();
            assertThat(b.broker().clients().startTrace("live", snapshot -> recorder).get()).isTrue();
            assertThat(b.broker().clients().startTrace("nobody", snapshot -> recorder).get()).isFalse();
            c.subscribeWith().topicFilter("x").send();
            await().atMost(Duration.ofSeconds(5)).until(() -> recorder.seen.contains("out 9"));
            assertThat(recorder.seen).containsExactly("in 8", "out 9");

            assertThat(b.broker().clients().stopTrace("live").get()).isTrue();
            c.unsubscribeWith().topicFilter("x").send();
            c.disconnect();
            assertThat(recorder.seen).containsExactly("in 8", "out 9");
        }
    }
}
