package io.jemq.protocol;

import io.jemq.transport.ReadGate;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Keeps one connection's inbound packets in order while an answer it waits for (an asynchronous ACL check) is
 * outstanding: reading stops, packets already decoded are held, and when the answer arrives on the event loop the
 * waiting step finishes and the held packets are replayed in arrival order, until one of them waits again.
 * Touched only on the connection's event loop.
 */
public final class InboundGate {
    /** What the gate hands held packets back to: the connection's handler. */
    public interface Replay {
        /** Handles one held packet as if it had just been read (on the event loop). */
        void replay(Object packet);

        /** The held packets were replayed: flush what they and the resumed step wrote. */
        void replayed();
    }

    private final Channel channel;
    private final Replay replay;
    private ArrayDeque<Object> held;          // made at the first packet held: most connections never wait
    private boolean waiting;

    /** @param replay an object the connection has anyway, not lambdas: an idle client's bytes count */
    public InboundGate(Channel channel, Replay replay) {
        this.channel = channel;
        this.replay = replay;
    }

    /** Whether a packet read now must be {@link #hold held}. */
    public boolean isWaiting() {
        return waiting;
    }

    public void hold(Object packet) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(packet);
    }

    /**
     * Stops reading until {@code answer} completes, then runs {@code then} on the event loop and replays what was
     * held meanwhile. {@code then} gets null and the error when the answer failed.
     */
    public <T> void await(CompletableFuture<T> answer, BiConsumer<T, Throwable> then) {
        waiting = true;
        ReadGate.pause(channel, ReadGate.AUTHENTICATING);
        answer.whenComplete((r, e) -> {
            if (channel.eventLoop().inEventLoop()) {
                resume(r, e, then);
            } else {
                channel.eventLoop().execute(() -> resume(r, e, then));
            }
        });
    }

    private <T> void resume(T result, Throwable error, BiConsumer<T, Throwable> then) {
        waiting = false;
        then.accept(result, error);
        if (!waiting) {
            drain();
        }
    }

    /** Holds packets from now on until {@link #drain}, for a step that finishes later without a future. */
    public void block() {
        waiting = true;
    }

    /** Stops holding; replays what is held, in order, until a packet waits again; then flushes. */
    public void drain() {
        waiting = false;
        while (!waiting && held != null && !held.isEmpty()) {
            replay.replay(held.poll());
        }
        if (!waiting) {
            ReadGate.resume(channel, ReadGate.AUTHENTICATING);
        }
        replay.replayed();
    }

    /** The connection is gone: releases what was held. */
    public void discard() {
        if (held == null) {
            return;
        }
        Object p;
        while ((p = held.poll()) != null) {
            ReferenceCountUtil.release(p);
        }
    }
}
