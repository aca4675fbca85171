package io.jemq.session;

import io.jemq.message.Message;
import io.jemq.store.StoredSession;
import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * The will a session's store keeps while its 5.0 Will Delay Interval runs, so that a disk store still sends it
 * after a crash. {@code io.jemq.will.Wills} decides when a will goes out; this only keeps the store in step with it.
 *
 * <p>Threads: {@link #keep} and {@link #forget} from any thread (the store is written on the session's owner loop);
 * {@link #recovered} at start, before the listeners open.
 */
public final class SessionWill {
    private final Session session;
    private final StoredSession stored;

    SessionWill(Session session, StoredSession stored) {
        this.session = session;
        this.stored = stored;
    }

    /** Keeps {@code will}, whose delay runs from now, in the store. */
    public void keep(Message will, long delaySeconds) {
        EventLoop owner = session.loop();
        if (owner.inEventLoop()) {
            stored.will(will, delaySeconds);        // the usual case: the connection's loop owns its session
        } else {
            owner.execute(() -> stored.will(will, delaySeconds));
        }
    }

    /** Forgets the kept will if it is still {@code will} (published or cancelled; a newer one stays). */
    public void forget(Message will) {
        session.loop().execute(() -> {
            if (stored.will() == will) {
                stored.will(null, 0);
            }
        });
    }

    /**
     * The will a disk store recovered for this session, due its delay after the connection left (after now when
     * that is unknown), or null.
     */
    public Recovered recovered() {
        Message will = stored.will();
        if (will == null) {
            return null;
        }
        long left = stored.offlineSinceMillis() > 0 ? stored.offlineSinceMillis() : System.currentTimeMillis();
        return new Recovered(will, left + TimeUnit.SECONDS.toMillis(stored.willDelaySeconds()));
    }

    /** A recovered will (the store's reference: retain it to keep it) and when it is due. */
    public record Recovered(Message will, long dueAtMillis) {
    }
}
