package io.jemq.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a buffer the broker forgot to release fail the tests. The build runs them with
 * {@code -Dio.netty.leakDetection.level=paranoid} (every buffer tracked); Netty reports a leak when the garbage
 * collector finds a buffer that was never released, some time after the fact. What it reports is kept here:
 * {@link EmbeddedBroker#close()} fails the test that closes a broker after a report (the report names where the
 * buffer was last touched, which is what finds the bug, whichever test happened to be running), and at the end of
 * the test JVM {@link LeakWatch} writes any report not yet failed on to {@code target/netty-leaks.txt}, which the
 * test command turns into a red build.
 *
 * <p>Threads: reports come from whichever thread allocates when the collector's queue is polled; any thread.
 */
public final class NettyLeaks {
    private static final List<String> REPORTED = new ArrayList<>();

    private NettyLeaks() {
    }

    /** Before any buffer class is loaded: {@link LeakWatch} calls it when the test JVM starts. */
    static void install() {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Factory());
    }

    /** @throws AssertionError when Netty reported a leaked buffer since the last call */
    public static void assertNone() {
        List<String> leaks = take();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) (never released):\n"
                    + String.join("\n", leaks));
        }
    }

    /**
     * At the end of the test JVM: collects what is unreachable, lets the detector look (it polls on allocation), and
     * writes what it reports to {@code file}.
     */
    static void flushTo(Path file) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            for (int j = 0; j < 64; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(8);
                probe.release();
            }
        }
        List<String> leaks = take();
        if (leaks.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", leaks) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        System.err.println("Netty reported " + leaks.size() + " leaked buffer(s); see " + file.toAbsolutePath());
    }

    private static synchronized List<String> take() {
        List<String> leaks = new ArrayList<>(REPORTED);
        REPORTED.clear();
        return leaks;
    }

    private static synchronized void reported(String leak) {
        REPORTED.add(leak);
    }

    private static final class Factory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new Recording<>(resource, samplingInterval);
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            reported("LEAK: " + resourceType + " was not released; recent access records:" + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            reported("LEAK: " + resourceType + " was not released (run with paranoid leak detection to see where)");
        }
    }
}
