package io.jemq.will;

import io.jemq.message.Message;
import io.jemq.session.Session;
import io.jemq.session.SessionRegistry;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes will messages: at once, or after the 5.0 Will Delay Interval. A delayed will goes at the earlier of its
 * delay and the end of its session, and not at all when a new connection resumes that session in time (MQTT 5.0
 * 3.1.3.2.2): a resumed session cancels it, a clean start (which ends the old session) sends it at once.
 *
 * <p>The new connection and the one it replaces race: the replaced one may only get here after the new one has
 * looked for its will (it is closed by the take-over, and its will may wait for an ACL answer). So the new
 * connection looks once its session is attached, and a will that is about to wait looks at its session once more
 * after it is registered: one of the two sees the other, and whichever removes the will settles it.
 * Thread-safe: pending wills are keyed by client id.
 */
public final class Wills {
    private static final Logger log = LoggerFactory.getLogger(Wills.class);

    /** @param session the session whose store keeps the will while it waits, or null */
    private record Pending(Message will, ScheduledFuture<?> timer, Session session) {
    }

    private final Consumer<Message> publisher;
    private final SessionRegistry sessions;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();

    /** @param publisher routes a message (retain handling included); does not take the caller's reference */
    public Wills(Consumer<Message> publisher, SessionRegistry sessions) {
        this.publisher = publisher;
        this.sessions = sessions;
    }

    /**
     * Publishes now or schedules; takes ownership of the will's reference. Any thread.
     *
     * @param session    the session of the connection that ended (null if it had none: then there is no delay)
     * @param attachment that session's {@link Session#attachments()} when the connection attached to it
     */
    public void publish(String clientId, Message will, long delaySeconds, EventLoop loop, String why,
                        Session session, int attachment) {
        if (delaySeconds <= 0) {
            publishNow(clientId, will, why);
            return;
        }
        if (session != null) {
            session.will().keep(will, delaySeconds);   // a disk store keeps it across a crash; see restore
        }
        schedule(clientId, will, TimeUnit.SECONDS.toMillis(delaySeconds), loop, why, session);
        // the take-over may have looked for this will before it was here: look at the session once more
        if (session == null) {
            return;
        }
        Pending entry = pending.get(clientId);
        if (entry == null || entry.will() != will) {
            return;
        }
        if (session.attachments() != attachment) {
            settle(clientId, entry, true, "a newer connection resumed its session");
        } else if (!sessions.isCurrent(session)) {
            settle(clientId, entry, false, "its session ended before the will delay");
        }
    }

    /**
     * The delayed will a disk store kept for a session it recovered: scheduled for what is left of its delay, counted
     * from when its connection left (at once if that has passed while the broker was down). Called once at start,
     * before the listeners open.
     */
    public void restore(Session session, Message will, long dueAtMillis) {
        long left = Math.max(0, dueAtMillis - System.currentTimeMillis());
        log.info("will of {} restored from the store: published in {} ms unless the client resumes its session",
                session.clientId(), left);
        schedule(session.clientId(), will, left, session.loop(), "its connection was lost before a restart",
                session);
    }

    private void schedule(String clientId, Message will, long delayMillis, EventLoop loop, String why,
                          Session session) {
        ScheduledFuture<?> timer = loop.schedule(() -> {
            Pending p = pending.get(clientId);
            if (p != null && p.will() == will && pending.remove(clientId, p)) {
                forgetKept(p);
                publishNow(clientId, will, why + ", after the will delay");
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        Pending previous = pending.put(clientId, new Pending(will, timer, session));
        if (previous != null) {
            previous.timer().cancel(false);
            publishNow(clientId, previous.will(), "replaced by a newer will");
        }
    }

    /** The will is settled: its session's store forgets it (a newer will may have replaced it there: kept then). */
    private static void forgetKept(Pending p) {
        if (p.session() != null) {
            p.session().will().forget(p.will());
        }
    }

    /** The client connected again: a resumed session cancels its delayed will, a new session sends it now. */
    public void onReconnect(String clientId, boolean sessionResumed) {
        Pending p = pending.get(clientId);
        if (p != null) {
            settle(clientId, p, sessionResumed, sessionResumed ? "the client resumed its session in time"
                    : "its session ended by a clean start");
        }
    }

    private void settle(String clientId, Pending p, boolean cancel, String why) {
        if (!pending.remove(clientId, p)) {
            return;                                   // the other side of the race, or the timer, settled it
        }
        p.timer().cancel(false);
        forgetKept(p);
        if (cancel) {
            log.debug("will of {} cancelled: {}", clientId, why);
            p.will().release();
        } else {
            publishNow(clientId, p.will(), why);
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

    /**
     * A will the disk store kept for a session that expired while the broker was down: its session's end made it
     * due, so it goes now. Takes the reference. Called once at start, before the listeners open.
     */
    public void publishExpired(Message will) {
        publishNow(will.publisherId(), will, "its session expired while the broker was down");
    }

    /** Sends every delayed will now; the broker is stopping. */
    public void flushAll() {
        for (String id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.timer().cancel(false);
                forgetKept(p);                       // published now: a restart must not publish it again
                publishNow(id, p.will(), "the broker is stopping");
            }
        }
    }
}
