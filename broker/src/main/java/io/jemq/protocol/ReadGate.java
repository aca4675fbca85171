package io.jemq.protocol;

import io.netty.channel.Channel;

/**
 * Stops and resumes reading from one connection for several independent reasons (authentication in progress,
 * a congested subscriber, a pending authorization): reading resumes only when no reason is left. Event loop only.
 */
final class ReadGate {
    static final int AUTHENTICATING = 1;
    static final int CONGESTION = 1 << 1;
    static final int AUTHORIZING = 1 << 2;

    private final Channel channel;
    private int reasons;

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    void close(int reason) {
        if (reasons == 0) {
            channel.config().setAutoRead(false);
        }
        reasons |= reason;
    }

    void open(int reason) {
        if ((reasons & reason) == 0) {
            return;
        }
        reasons &= ~reason;
        if (reasons == 0) {
            channel.config().setAutoRead(true);
        }
    }

    boolean isClosed(int reason) {
        return (reasons & reason) != 0;
    }
}
