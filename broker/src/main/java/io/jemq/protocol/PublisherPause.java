package io.jemq.protocol;

import io.jemq.routing.Dispatcher;
import io.jemq.routing.Subscriber;
import io.jemq.transport.ReadGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pauses a publisher's reading while a subscriber it publishes to is behind ({@code mqtt.mqueue.max_pause} at
 * most), and resumes it when that subscriber drains. The router tells it through {@link Dispatcher.Backpressure}
 * during the publisher's dispatch, on the publisher's event loop; the drain callback comes home to that loop.
 */
final class PublisherPause implements Dispatcher.Backpressure {
    private static final Logger log = LoggerFactory.getLogger(PublisherPause.class);

    private final Connection c;
    private final Runnable resumeReading = this::resumeReading;
    private ScheduledFuture<?> pauseLimit;
    /** The congested subscribers this publisher waits for, with the callback each will run when it drains. */
    private Map<Subscriber, Runnable> pausedBy;

    PublisherPause(Connection c) {
        this.c = c;
    }

    /**
     * A subscriber this connection publishes to is falling behind: stop reading until it drains, or for
     * {@code mqtt.mqueue.max_pause} at most. The bound keeps the unread PINGREQ and acks of this client from waiting
     * long; what it already sent is acknowledged and delivered to everyone else meanwhile.
     */
    @Override
    public void congested(Subscriber target) {
        long maxPauseNanos = c.services.settings().mqueue().maxPause().toNanos();
        if (maxPauseNanos == 0) {
            return;
        }
        // one registration per congested subscriber until it drains: a pause that ends by its time limit and
        // starts again must not add another callback to a subscriber that stays behind
        if (pausedBy == null) {
            pausedBy = new HashMap<>(4);
        }
        if (!pausedBy.containsKey(target)) {
            Runnable onDrained = () -> c.channel.eventLoop().execute(() -> {
                if (pausedBy.remove(target) != null) {
                    resumeReading();
                }
            });
            pausedBy.put(target, onDrained);
            target.whenDrained(onDrained);
        }
        if (ReadGate.isPaused(c.channel, ReadGate.CONGESTION)) {
            return;
        }
        ReadGate.pause(c.channel, ReadGate.CONGESTION);
        log.debug("pausing {}: subscriber {} is behind", c.clientId, target.clientId());
        pauseLimit = c.channel.eventLoop().schedule(resumeReading, maxPauseNanos, TimeUnit.NANOSECONDS);
    }

    /** A closed publisher needs no resuming: the subscribers it waited for forget it. */
    void forget() {
        if (pausedBy != null) {
            pausedBy.forEach(Subscriber::forgetPaused);
            pausedBy.clear();
        }
    }

    private void resumeReading() {
        if (pauseLimit != null) {
            pauseLimit.cancel(false);
            pauseLimit = null;
        }
        if (ReadGate.isPaused(c.channel, ReadGate.CONGESTION)) {
            log.debug("resuming {}", c.clientId);
            ReadGate.resume(c.channel, ReadGate.CONGESTION);
        }
    }
}
