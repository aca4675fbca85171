package io.jemq.bench.scenario;

import io.jemq.bench.client.BenchClient;
import io.jemq.bench.client.Inbound;
import io.netty.buffer.ByteBuf;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A subscriber that counts what it receives and, for {@link Sequenced} payloads, how far each publisher's messages
 * have got.
 */
class Receiver implements Inbound {
    /** Per publisher: one past the highest sequence number received; written here, read by the publishers. */
    private final AtomicLongArray reached;
    private volatile long received;

    /** A receiver that only counts. */
    Receiver() {
        this(0);
    }

    /** A receiver that also follows the sequence numbers of {@code publishers} publishers. */
    Receiver(int publishers) {
        reached = new AtomicLongArray(publishers);
    }

    @Override
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the client's event loop
    public void onPublish(BenchClient client, ByteBuf buffer, int index, int length) {
        received++;
        if (reached.length() > 0 && length >= Sequenced.BYTES) {
            int publisher = Sequenced.publisher(buffer, index);
            long next = Sequenced.sequence(buffer, index) + 1;
            if (publisher >= 0 && publisher < reached.length() && next > reached.get(publisher)) {
                reached.lazySet(publisher, next);
            }
        }
    }

    long received() {
        return received;
    }

    /** How many of {@code publisher}'s messages are behind us: its highest sequence number received, plus one. */
    long reached(int publisher) {
        return reached.get(publisher);
    }

    static long total(Collection<? extends Receiver> receivers) {
        long sum = 0;
        for (Receiver r : receivers) {
            sum += r.received();
        }
        return sum;
    }

    /** The slowest of {@code receivers} for {@code publisher}. */
    static long slowest(Collection<? extends Receiver> receivers, int publisher) {
        long min = Long.MAX_VALUE;
        for (Receiver r : receivers) {
            min = Math.min(min, r.reached(publisher));
        }
        return min;
    }
}
