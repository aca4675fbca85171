package io.jemq.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Many sockets held open by one thread: records, for each, how long after it connected the broker closed it. For
 * the rows where hundreds of clients connect and then say nothing, or next to nothing.
 */
final class SocketHerd implements AutoCloseable {
    private final List<SocketChannel> sockets = new ArrayList<>();
    private final long[] openedNanos;
    private final AtomicLongArray closedAfterNanos;
    private final Selector selector;
    private final Thread watcher;
    private volatile boolean closing;

    private SocketHerd(int size) throws IOException {
        this.openedNanos = new long[size];
        this.closedAfterNanos = new AtomicLongArray(size);
        this.selector = Selector.open();
        this.watcher = new Thread(this::watch, "socket-herd");
        watcher.setDaemon(true);
    }

    /** Connects {@code size} sockets one after the other; they send nothing until told to. */
    static SocketHerd open(int port, int size) throws IOException {
        SocketHerd herd = new SocketHerd(size);
        // watching from the first socket on: a close is timed while the later ones are still being opened
        herd.watcher.start();
        for (int i = 0; i < size; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            herd.openedNanos[i] = System.nanoTime();
            channel.configureBlocking(false);
            herd.sockets.add(channel);
            channel.register(herd.selector, SelectionKey.OP_READ, i);
            herd.selector.wakeup();                                   // so the watcher selects on it now
        }
        return herd;
    }

    private void watch() {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        try {
            while (!closing) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    int read;
                    try {
                        read = ((SocketChannel) key.channel()).read(sink.clear());
                    } catch (IOException e) {
                        read = -1;                                   // reset: closed as well
                    }
                    if (read < 0) {
                        closedAfterNanos.compareAndSet(i, 0, System.nanoTime() - openedNanos[i]);
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one byte on socket i; false when the broker has closed it already. */
    boolean write(int i, byte b) {
        try {
            return sockets.get(i).write(ByteBuffer.wrap(new byte[]{b})) == 1;
        } catch (IOException e) {
            return false;
        }
    }

    int size() {
        return sockets.size();
    }

    int closedCount() {
        int n = 0;
        for (int i = 0; i < closedAfterNanos.length(); i++) {
            n += closedAfterNanos.get(i) > 0 ? 1 : 0;
        }
        return n;
    }

    /** @return for each socket the broker closed, the milliseconds from connect to close */
    List<Long> closeDelaysMillis() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < closedAfterNanos.length(); i++) {
            if (closedAfterNanos.get(i) > 0) {
                delays.add(closedAfterNanos.get(i) / 1_000_000);
            }
        }
        return delays;
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        watcher.join(2000);
        for (SocketChannel s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
