package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import io.jemq.bench.client.PublishTemplate;
import io.netty.buffer.ByteBuf;

import java.util.Collection;
import java.util.function.LongSupplier;

/**
 * Sends {@link Sequenced} QoS 0 PUBLISH packets in batches with one flush each.
 *
 * <p>Unpaced, it sends as fast as the socket takes them: it stops when the channel turns unwritable and resumes when
 * it drains, and after each batch it yields the event loop so the other clients on it get their turn. Paced, each
 * {@link Ticker} tick sends what is due at the given rate. Either way it also stops while more than
 * {@code maxBacklog} of its messages have not reached the (slowest) subscriber: loopback socket buffers hold megabytes,
 * and without this bound a flood parks millions of messages in the kernel that the broker then needs longer than any
 * drain time-out to deliver, which would read as loss.
 */
final class Qos0Publisher implements Inbound {
    private final PublishTemplate template;
    private final int batch;
    private final double perSecond;
    private final long maxBacklog;
    private final LongSupplier reached;
    private final Runnable pump = this::pump;
    private BenchClient client;
    private boolean running;
    private boolean pumping;
    private long startNanos;
    private volatile long sent;

    /**
     * @param perSecond  messages per second, or 0 for as fast as the socket allows
     * @param maxBacklog most messages sent but not yet received, or 0 for no bound
     * @param reached    how many of this publisher's messages the slowest subscriber has got to
     */
    Qos0Publisher(PublishTemplate template, int batch, double perSecond, long maxBacklog, LongSupplier reached) {
        this.template = template;
        this.batch = batch;
        this.perSecond = perSecond;
        this.maxBacklog = maxBacklog;
        this.reached = reached;
    }

    void attach(BenchClient client) {
        this.client = client;
    }

    BenchClient client() {
        return client;
    }

    /** Starts sending. On the client's event loop. */
    void start() {
        running = true;
        startNanos = System.nanoTime();
        if (perSecond == 0) {
            pump();
        }
    }

    /** Stops sending; after this {@link #sent()} is final. On the client's event loop. */
    void stop() {
        running = false;
    }

    long sent() {
        return sent;
    }

    @Override
    public void onWritable(BenchClient c) {
        if (running && perSecond == 0 && !pumping) {
            pump();
        }
    }

    private void pump() {
        pumping = false;
        if (!running || !client.isWritable()) {
            return; // onWritable picks up again
        }
        int n = allowed(batch);
        if (n > 0) {
            write(n);
            pumping = true;
            client.eventLoop().execute(pump);
        }
        // else the subscriber is behind: the next tick looks again
    }

    /** Called every millisecond on the client's event loop by the {@link Ticker}. */
    void tick() {
        if (!running) {
            return;
        }
        if (perSecond == 0) {
            if (!pumping) {
                pump();
            }
            return;
        }
        long due = (long) ((System.nanoTime() - startNanos) * perSecond / 1e9) - sent;
        while (due > 0 && client.isWritable()) {
            int n = allowed((int) Math.min(due, batch));
            if (n == 0) {
                return;
            }
            write(n);
            due -= n;
        }
    }

    private int allowed(int wanted) {
        if (maxBacklog == 0) {
            return wanted;
        }
        long room = maxBacklog - (sent - reached.getAsLong());
        // all or nothing: trickling out whatever little room there is would make batches of a few messages, and
        // then system calls, not messages, set the pace on both sides
        return room >= wanted ? wanted : 0;
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the client's event loop
    private void write(int count) {
        ByteBuf out = client.alloc().ioBuffer(count * template.frameSize());
        long sequence = sent;
        for (int i = 0; i < count; i++) {
            Sequenced.setSequence(out, template.appendTo(out), sequence++);
        }
        client.send(out);
        client.flush();
        sent = sequence;
    }

    static long total(Collection<Qos0Publisher> publishers) {
        long sum = 0;
        for (Qos0Publisher p : publishers) {
            sum += p.sent();
        }
        return sum;
    }
}
