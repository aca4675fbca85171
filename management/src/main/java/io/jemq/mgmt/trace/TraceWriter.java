package io.jemq.mgmt.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one thread that writes every trace line, {@code jemq-trace}. Event loops only {@link #offer} a small record to
 * a bounded queue: when it is full the line is dropped and counted, so a slow disk never holds a loop up. Lines are
 * formatted here, each with the time it was taken; files are flushed whenever the queue runs dry.
 */
final class TraceWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TraceWriter.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    /** One line to be: made on an event loop (cheap), formatted and written on the writer thread. */
    interface Line {
        TraceFile file();

        long timeMillis();

        /** The text after the time stamp, e.g. {@code [debug] Client(c1@127.0.0.1:5000): RECV PINGREQ(Q0, R0, D0)}. */
        String text();
    }

    /** A file to close once every line before it is written: a trace that stopped. */
    private record Close(TraceFile file) implements Line {
        @Override
        public long timeMillis() {
            return 0;
        }

        @Override
        public String text() {
            return null;
        }
    }

    private final BlockingQueue<Line> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread thread;
    private volatile boolean stopping;
    private final Set<TraceFile> touched = new HashSet<>();

    TraceWriter(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "jemq-trace");
        thread.setDaemon(true);
        thread.start();
    }

    /** Any thread, never blocks. @return false when the line was dropped (queue full) */
    boolean offer(Line line) {
        if (queue.offer(line)) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Closes {@code file} after the lines already queued for it (waits for room: called off the loops). */
    void closeLater(TraceFile file) {
        try {
            if (!queue.offer(new Close(file), 2, TimeUnit.SECONDS)) {
                log.warn("trace writer is behind; {} is closed when the broker stops", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lines dropped because the queue was full, since the start. */
    long dropped() {
        return dropped.sum();
    }

    private void run() {
        while (!stopping || !queue.isEmpty()) {
            try {
                Line line = queue.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    flushAll();
                    continue;
                }
                write(line);
                if (queue.isEmpty()) {
                    flushAll();
                }
            } catch (InterruptedException e) {
                stopping = true;
            } catch (IOException | RuntimeException e) {
                log.warn("trace line not written: {}", e.toString());
            }
        }
        flushAll();
    }

    private void write(Line line) throws IOException {
        if (line instanceof Close c) {
            c.file().close();
            touched.remove(c.file());
            return;
        }
        line.file().write(TIME.format(Instant.ofEpochMilli(line.timeMillis())) + " " + line.text());
        touched.add(line.file());
    }

    private void flushAll() {
        for (TraceFile f : touched) {
            try {
                f.flush();
            } catch (IOException e) {
                log.warn("trace file not flushed: {}", e.toString());
            }
        }
    }

    /** Writes what is queued (up to 5 s), then stops the thread. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
    }
}
