package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import io.jemq.bench.client.PublishTemplate;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a window of QoS 1 or 2 PUBLISH packets in flight: each PUBACK (QoS 1) or PUBCOMP (QoS 2) lets the next one
 * go. The replacements written while reading a batch of acknowledgements leave with the client's end-of-read flush.
 */
final class WindowPublisher implements Inbound {
    private final PublishTemplate template;
    private final int window;
    private BenchClient client;
    private boolean running;
    private int inFlight;
    private int nextId = 1;
    private volatile long sent;
    private volatile long acked;

    WindowPublisher(PublishTemplate template, int window) {
        this.template = template;
        this.window = window;
    }

    void attach(BenchClient client) {
        this.client = client;
    }

    void start() {
        client.eventLoop().execute(() -> {
            running = true;
            fill();
            client.flush();
        });
    }

    CompletableFuture<Void> stop() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            running = false;
            stopped.complete(null);
        });
        return stopped;
    }

    long sent() {
        return sent;
    }

    long acked() {
        return acked;
    }

    @Override
    public void onPubAck(BenchClient c, int packetId) {
        completed();
    }

    @Override
    public void onPubComp(BenchClient c, int packetId) {
        completed();
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the client's event loop
    private void completed() {
        acked++;
        inFlight--;
        if (running) {
            fill();
        }
    }

    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    private void fill() {
        int limit = Math.min(window, client.serverReceiveMaximum());
        while (inFlight < limit) {
            client.send(template.render(client.alloc(), nextId));
            nextId = nextId == 65_535 ? 1 : nextId + 1;
            inFlight++;
            sent++;
        }
    }

    static long totalSent(Collection<WindowPublisher> publishers) {
        return publishers.stream().mapToLong(WindowPublisher::sent).sum();
    }

    static long totalAcked(Collection<WindowPublisher> publishers) {
        return publishers.stream().mapToLong(WindowPublisher::acked).sum();
    }

    static void stopAll(Collection<WindowPublisher> publishers) throws InterruptedException {
        CompletableFuture<?>[] stopping =
                publishers.stream().map(WindowPublisher::stop).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stopping).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new BenchException("publishers did not stop: " + e);
        }
    }
}
