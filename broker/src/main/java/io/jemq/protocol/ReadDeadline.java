package io.jemq.protocol;

import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * How long a connection may stay silent: until CONNECT, the connect timeout (it also bounds a TLS handshake or
 * WebSocket upgrade that never finishes); after it, 1.5 keepalives (none for keepalive 0). Silence is counted in
 * packets, as MQTT 3.1.2.10 counts it: bytes of a packet still arriving do not reset it.
 *
 * <p>It does what Netty's IdleStateHandler did here, without a pipeline step and its handler and task objects:
 * about 200 bytes of every idle connection. One timer per connection, re-armed for what is left when it fires;
 * a packet costs a field write, a read batch that brought packets one clock read.
 *
 * <p>Threads: the connection's event loop only.
 */
final class ReadDeadline implements Runnable {
    private final Connection c;
    private long timeoutNanos;
    private long lastReadNanos;
    /** A packet came in since the clock was last read. */
    private boolean reading;
    private ScheduledFuture<?> timer;

    ReadDeadline(Connection c) {
        this.c = c;
    }

    /** Starts counting silence from now, up to {@code timeoutMillis}; 0 stops counting. */
    void start(long timeoutMillis) {
        stop();
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lastReadNanos = System.nanoTime();
        reading = false;
        if (timeoutNanos > 0) {
            timer = c.channel.eventLoop().schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The connection is gone: its timer must not keep it reachable until it fires. */
    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    void packetArrived() {
        reading = true;
    }

    void readComplete() {
        if (reading) {
            reading = false;
            lastReadNanos = System.nanoTime();
        }
    }

    /** What the connection is held to now, in milliseconds; 0 = nothing. */
    long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    @Override
    public void run() {
        timer = null;
        if (c.state == Connection.State.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        if (reading) {                      // packets handed on one by one while the publisher was paused
            reading = false;
            lastReadNanos = now;
        }
        long left = timeoutNanos - (now - lastReadNanos);
        if (left <= 0) {
            c.connect.onIdle();
        } else {
            timer = c.channel.eventLoop().schedule(this, left, TimeUnit.NANOSECONDS);
        }
    }
}
