package io.jemq.flow;

import io.jemq.transport.ReadGate;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pauses a publisher's reading while something it publishes to is behind ({@code mqtt.mqueue.max_pause} at most),
 * and resumes it when that drains. The publisher is a client's connection, or another node's cluster link on the node
 * that receives it; what it waits for is a local subscriber, or, for a client, the link to another node its messages
 * go to. The publish pipeline tells it through {@link Backpressure} during the publisher's dispatch, on the
 * publisher's event loop; the drain callback comes home to that loop.
 */
public final class PublisherPause implements Backpressure, Runnable {
    private static final Logger log = LoggerFactory.getLogger(PublisherPause.class);

    private final Channel channel;
    private final long maxPauseNanos;
    private final Supplier<String> name;
    private final Runnable onResume;
    private ScheduledFuture<?> pauseLimit;
    /** The congested targets this publisher waits for, with the callback each will run when it drains. */
    private Map<Congestible, Runnable> pausedBy;

    /**
     * @param channel  the publisher's socket, whose reading is paused
     * @param maxPause {@code mqtt.mqueue.max_pause}: the longest one pause lasts; zero never pauses
     * @param name     who the publisher is, for the debug log
     */
    public PublisherPause(Channel channel, Duration maxPause, Supplier<String> name) {
        this(channel, maxPause, name, null);
    }

    /**
     * @param onResume runs on the loop each time reading resumes, for a publisher that holds back what it had read
     *                 already when the pause began (a cluster link); null for none
     */
    public PublisherPause(Channel channel, Duration maxPause, Supplier<String> name, Runnable onResume) {
        this.channel = channel;
        this.maxPauseNanos = maxPause.toNanos();
        this.name = name;
        this.onResume = onResume;
    }

    /**
     * Something this publisher sends to is falling behind: stop reading until it drains, or for
     * {@code mqtt.mqueue.max_pause} at most. The bound keeps the unread PINGREQ and acks of this client from waiting
     * long; what it already sent is acknowledged and delivered to everyone else meanwhile.
     */
    @Override
    public void congested(Congestible target) {
        if (maxPauseNanos == 0) {
            return;
        }
        // one registration per congested target until it drains: a pause that ends by its time limit and starts
        // again must not add another callback to a target that stays behind
        if (pausedBy == null) {
            pausedBy = new HashMap<>(4);
        }
        if (!pausedBy.containsKey(target)) {
            Runnable onDrained = () -> channel.eventLoop().execute(() -> {
                if (pausedBy.remove(target) != null) {
                    resumeReading();
                }
            });
            pausedBy.put(target, onDrained);
            target.whenDrained(onDrained);
        }
        if (ReadGate.isPaused(channel, ReadGate.CONGESTION)) {
            return;
        }
        ReadGate.pause(channel, ReadGate.CONGESTION);
        if (log.isDebugEnabled()) {
            log.debug("pausing {}: {} is behind", name.get(), target);
        }
        pauseLimit = channel.eventLoop().schedule(this, maxPauseNanos, TimeUnit.NANOSECONDS);
    }

    /** Whether this publisher is paused now. Event loop only. */
    public boolean isPaused() {
        return ReadGate.isPaused(channel, ReadGate.CONGESTION);
    }

    /** A closed publisher needs no resuming: the targets it waited for forget it. */
    public void forget() {
        if (pausedBy != null) {
            pausedBy.forEach(Congestible::forgetPaused);
            pausedBy.clear();
        }
    }

    /** The pause's time limit, as the loop's task: this object is the task (an idle client's bytes count). */
    @Override
    public void run() {
        resumeReading();
    }

    private void resumeReading() {
        if (pauseLimit != null) {
            pauseLimit.cancel(false);
            pauseLimit = null;
        }
        if (ReadGate.isPaused(channel, ReadGate.CONGESTION)) {
            if (log.isDebugEnabled()) {
                log.debug("resuming {}", name.get());
            }
            ReadGate.resume(channel, ReadGate.CONGESTION);
            if (onResume != null) {
                onResume.run();
            }
        }
    }
}
