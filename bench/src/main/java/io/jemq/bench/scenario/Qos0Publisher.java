package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import io.jemq.bench.client.PublishTemplate;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Sends {@link Sequenced} QoS 0 PUBLISH packets in batches with one flush each.
 *
 * <p>Unpaced, it sends as fast as the socket takes them: it stops when the channel turns unwritable and resumes when
 * it drains, and after each batch it yields the event loop so the other clients on it get their turn. Paced, a 1 ms
 * tick sends what is due at the given rate. Either way it also stops while more than {@code maxBacklog} of its
 * messages have not reached the (slowest) subscriber: loopback socket buffers hold megabytes, and without this
 * bound a flood parks millions of messages in the kernel that the broker then needs longer than any drain time-out to
 * deliver, which would read as loss.
 */
final class Qos0Publisher implements Inbound {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

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
    private ScheduledFuture<?> ticker;
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

    void start() {
        client.eventLoop().execute(() -> {
            running = true;
            startNanos = System.nanoTime();
            if (perSecond > 0) {
                ticker = client.eventLoop().scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
            } else {
                pump();
            }
        });
    }

    /** Stops sending; once the returned future completes, {@link #sent()} is final. */
    CompletableFuture<Void> stop() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            running = false;
            if (ticker != null) {
                ticker.cancel(false);
            }
            stopped.complete(null);
        });
        return stopped;
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
        } else {
            pumping = true; // the subscriber is behind: look again shortly rather than spin
            client.eventLoop().schedule(pump, TICK_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        long due = (long) ((System.nanoTime() - startNanos) * perSecond / 1e9) - sent;
        while (running && due > 0 && client.isWritable()) {
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
        return (int) Math.max(0, Math.min(wanted, room));
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

    static void stopAll(Collection<Qos0Publisher> publishers) throws InterruptedException {
        CompletableFuture<?>[] stopping =
                publishers.stream().map(Qos0Publisher::stop).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stopping).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("publishers did not stop: " + e);
        }
    }
}
