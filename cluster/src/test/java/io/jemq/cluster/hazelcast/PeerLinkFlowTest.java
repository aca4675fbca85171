package io.jemq.cluster.hazelcast;

import io.jemq.message.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sending side of flow control across nodes: a link whose node stops reading becomes congested before it drops
 * anything, a paused publisher's callback waits for it, and runs once the node reads again. The node here is a real
 * socket that accepts the link's connection and reads nothing until told.
 */
class PeerLinkFlowTest {

    @Test
    void aLinkTheNodeStopsReadingIsCongestedAndResumesItsPublishersWhenItDrains() throws Exception {
        NioEventLoopGroup loops = new NioEventLoopGroup(1);
        AtomicInteger drops = new AtomicInteger();
        try (ServerSocket node = new ServerSocket()) {
            node.setReceiveBufferSize(4096);            // the connection's window stays small
            node.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return node.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            PeerLink link = new PeerLink("b", "a", (InetSocketAddress) node.getLocalSocketAddress(), loops.next(),
                    drops::incrementAndGet);
            link.connect();
            LinkCongestion congestion = link.congestion();
            try (Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                await().atMost(Duration.ofSeconds(10)).until(link::connected);
                long sent = 0;
                while (!congestion.isCongested() && sent < 200_000) {
                    Message m = new Message("t", 0, false, Unpooled.wrappedBuffer(new byte[1024]), "pub", 0, 0,
                            Message.MessageProperties.NONE);
                    link.send(m, List.of(), null);
                    m.release();
                    if (++sent % 256 == 0) {
                        await().atMost(Duration.ofSeconds(5)).until(() -> congestion.isCongested() || loopIdle(loops));
                    }
                }
                assertThat(congestion.isCongested()).as("congested after " + sent + " KiB nobody read").isTrue();
                assertThat(drops).as("nothing dropped: far below the bound").hasValue(0);

                CountDownLatch resumed = new CountDownLatch(1);
                congestion.whenDrained(resumed::countDown);
                assertThat(resumed.await(300, TimeUnit.MILLISECONDS)).as("a paused publisher waits").isFalse();

                CompletableFuture.runAsync(() -> readAll(peer));            // the node reads again
                assertThat(resumed.await(10, TimeUnit.SECONDS)).as("resumed once the link drained").isTrue();
                assertThat(congestion.isCongested()).isFalse();
                System.out.println("link: congested after " + sent + " KiB unread");
            } finally {
                link.close();
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** Whether the link's loop has handled every frame handed to it so far. */
    private static boolean loopIdle(NioEventLoopGroup loops) throws Exception {
        return loops.next().submit(() -> true).get(5, TimeUnit.SECONDS);
    }

    private static void readAll(Socket peer) {
        byte[] buffer = new byte[65536];
        try (InputStream in = peer.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // drained: the link sees its connection writable again
            }
        } catch (Exception e) {
            // the link closed at the end of the test
        }
    }
}
