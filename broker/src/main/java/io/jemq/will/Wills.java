package io.jemq.will;

import io.jemq.message.Message;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes will messages: at once, or after the 5.0 Will Delay Interval. A delayed will is cancelled when the
 * client reconnects to its session in time, and sent at once when a clean start replaces that session.
 * Thread-safe: pending wills are keyed by client id.
 */
public final class Wills {
    private static final Logger log = LoggerFactory.getLogger(Wills.class);

    private record Pending(Message will, ScheduledFuture<?> timer) {
    }

    private final Consumer<Message> publisher;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    /** @param publisher routes a message (retain handling included); does not take the caller's reference */
    public Wills(Consumer<Message> publisher) {
        this.publisher = publisher;
    }

    /** Publishes now or schedules; takes ownership of the will's reference. */
    public void publish(String clientId, Message will, long delaySeconds, EventLoop loop, String why) {
        if (delaySeconds <= 0) {
            publishNow(clientId, will, why);
            return;
        }
        ScheduledFuture<?> timer = loop.schedule(() -> {
            Pending p = pending.get(clientId);
            if (p != null && p.will() == will && pending.remove(clientId, p)) {
                publishNow(clientId, will, why + ", after the will delay");
            }
        }, delaySeconds, TimeUnit.SECONDS);
        Pending previous = pending.put(clientId, new Pending(will, timer));
        if (previous != null) {
            previous.timer().cancel(false);
            publishNow(clientId, previous.will(), "replaced by a newer will");
        }
    }

    /** The client connected again. A resumed session cancels its delayed will; a clean start sends it now. */
    public void onReconnect(String clientId, boolean sessionResumed) {
        Pending p = pending.remove(clientId);
        if (p == null) {
            return;
        }
        p.timer().cancel(false);
        if (sessionResumed) {
            log.debug("will of {} cancelled: the client reconnected within the will delay", clientId);
            p.will().release();
        } else {
            publishNow(clientId, p.will(), "its session ended by a clean start");
        }
    }

    private void publishNow(String clientId, Message will, String why) {
        try {
            log.debug("publishing the will of {} to {}: {}", clientId, will.topic(), why);
            publisher.accept(will);
        } finally {
            will.release();
        }
    }

    /** Sends every delayed will now; the broker is stopping. */
    public void flushAll() {
        for (String id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.timer().cancel(false);
                publishNow(id, p.will(), "the broker is stopping");
            }
        }
    }
}
