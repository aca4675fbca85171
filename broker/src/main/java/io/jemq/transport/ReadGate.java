package io.jemq.transport;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Reading from a socket can be paused for several reasons at once: the connection waits for its CONNECT to be
 * authenticated, the listener's rate limit waits for its bucket to refill, a congested subscriber waits to drain.
 * Each holds the gate with its own reason; auto-read is on only when nobody holds it, so one reason ending never lets
 * bytes in that another one is holding back. Event loop only.
 */
public final class ReadGate {
    /** The connection is authenticating its CONNECT: nothing may race ahead of CONNACK. */
    public static final int AUTHENTICATING = 1;
    /** The listener's {@code rate_limit} bucket is empty. */
    public static final int RATE_LIMIT = 1 << 1;
    /** A subscriber this connection publishes to is above its queue's high watermark. */
    public static final int CONGESTION = 1 << 2;
    /** The memory budget for packets being received ({@code mqtt.budget.reads}) is spent. */
    public static final int READ_BUDGET = 1 << 3;

    private static final AttributeKey<Integer> HOLDERS = AttributeKey.valueOf("jemq.readGate");

    private ReadGate() {
    }

    public static void pause(Channel channel, int reason) {
        update(channel, holders(channel) | reason);
    }

    public static void resume(Channel channel, int reason) {
        update(channel, holders(channel) & ~reason);
    }

    public static boolean isPaused(Channel channel, int reason) {
        return (holders(channel) & reason) != 0;
    }

    private static int holders(Channel channel) {
        Integer h = channel.attr(HOLDERS).get();
        return h == null ? 0 : h;
    }

    private static void update(Channel channel, int holders) {
        channel.attr(HOLDERS).set(holders);
        boolean read = holders == 0;
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
