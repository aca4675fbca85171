package io.jemq.mgmt.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A writer that cannot keep up drops and counts lines instead of making its callers wait; files roll at a size. */
class TraceWriterTest {
    @TempDir
    Path dir;

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        TraceFile file = new TraceFile(dir.resolve("t.log"), 1 << 20, 1);
        file.open();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        try (TraceWriter writer = new TraceWriter(16)) {
            writer.offer(new TraceWriter.Line() {
                @Override
                public TraceFile file() {
                    return file;
                }

                @Override
                public long timeMillis() {
                    return 0;
                }

                @Override
                public String text() {
                    writing.countDown();
                    try {
                        stuck.await();                 // a disk that does not answer
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "first";
                }
            });
            writing.await();
            long start = System.nanoTime();
            int accepted = 0;
            for (int i = 0; i < 100; i++) {
                if (writer.offer(new ClientTrace.Text(file, 0, "line " + i))) {
                    accepted++;
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(accepted).isEqualTo(16);
            assertThat(writer.dropped()).isEqualTo(84);
            stuck.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(dir.resolve("t.log")).size() == 17);
        }
    }

    @Test
    void aFileRollsOverAtItsSize() throws Exception {
        Path path = dir.resolve("r.log");
        TraceFile file = new TraceFile(path, 1024, 2);
        file.open();
        for (int i = 0; i < 100; i++) {
            file.write("x".repeat(99));
        }
        file.close();
        assertThat(Files.size(path)).isLessThanOrEqualTo(1024);
        assertThat(dir.resolve("r.log.1")).exists();
        assertThat(dir.resolve("r.log.2")).exists();
        assertThat(dir.resolve("r.log.3")).doesNotExist();
    }
}
