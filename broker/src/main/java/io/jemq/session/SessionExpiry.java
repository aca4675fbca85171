package io.jemq.session;

import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The timer that ends a session left without a connection once its expiry interval has passed. An expiry of
 * 0xFFFFFFFF seconds (5.0's "never") arms nothing.
 *
 * <p>Threads: the session's owner loop only.
 */
final class SessionExpiry {
    private static final long NEVER = 0xFFFFFFFFL;

    private final Session session;
    private ScheduledFuture<?> timer;

    SessionExpiry(Session session) {
        this.session = session;
    }

    /** Ends the session {@code remainingSeconds} from now unless a connection comes back first. */
    void arm(long expirySeconds, long remainingSeconds) {
        cancel();
        if (expirySeconds < NEVER) {
            timer = session.loop().schedule(() -> session.expire(expirySeconds), remainingSeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * A recovered session: its expiry runs from when its connection left ({@code offlineSinceMillis}, 0 when
     * unknown: from now).
     */
    void armRecovered(long expirySeconds, long offlineSinceMillis) {
        long offlineSeconds = offlineSinceMillis == 0 ? 0
                : Math.max(0, (System.currentTimeMillis() - offlineSinceMillis) / 1000);
        arm(expirySeconds, Math.max(0, expirySeconds - offlineSeconds));
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
