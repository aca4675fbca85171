package io.jemq.session;

import io.jemq.api.DropReason;
import io.jemq.config.SessionSettings;
import io.jemq.events.BrokerEvents;
import io.jemq.message.Delivery;
import io.jemq.store.InflightEntry;
import io.jemq.store.InflightWindow;
import io.jemq.store.Qos2Receipts;
import io.jemq.store.Written;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A session's way out to its connection: the inflight window of QoS 1/2 deliveries awaiting acknowledgement, the
 * acknowledgements themselves, and the retry timer (EMQ's retry_interval for 3.x clients, and the await_rel_timeout
 * of the inbound QoS 2 receipts, which share the timer).
 *
 * <p>Threads: the session's owner loop only. The outlet is the attached connection, null while offline.
 */
final class OutboundWindow implements Runnable {
    private final String clientId;
    private final SessionSettings settings;
    private final InflightWindow inflight;
    private final Qos2Receipts receipts;
    private final Counters counters;
    private final BrokerEvents events;
    private Outlet outlet;
    /** The loop the attached connection (and so the session) is on: where the retry timer runs. */
    private EventLoop loop;
    private ScheduledFuture<?> retryTimer;
    private long delivered;
    /**
     * QoS 2 PUBLISHes and PUBRELs held until the store has their packet id or stage durable (a disk store; the
     * memory store's writes are durable at once, so this stays empty). Sent in order once it is. Made at first use:
     * most sessions never hold anything, and an idle client's memory is counted per connection.
     */
    private ArrayDeque<InflightEntry> held;

    OutboundWindow(String clientId, SessionSettings settings, InflightWindow inflight, Qos2Receipts receipts,
                   Counters counters, BrokerEvents events) {
        this.clientId = clientId;
        this.settings = settings;
        this.inflight = inflight;
        this.receipts = receipts;
        this.counters = counters;
        this.events = events;
    }

    private boolean nothingHeld() {
        return held == null || held.isEmpty();
    }

    Outlet outlet() {
        return outlet;
    }

    void attach(Outlet newOutlet, EventLoop ownerLoop) {
        this.outlet = newOutlet;
        this.loop = ownerLoop;
    }

    /** The connection went away: nothing is resent until one attaches again. */
    void detach() {
        outlet = null;
        if (held != null) {
            held.clear();                    // still in flight: resent when a connection attaches
        }
        cancelRetry();
    }

    /** Whether a QoS 2 packet must wait for the store (see {@link #held}); if so it is held and sent later. */
    private boolean holdUntilDurable(InflightEntry e) {
        Written w = inflight.durable();
        if (nothingHeld() && w.isDone()) {
            return false;
        }
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(e);
        if (held.size() == 1) {
            EventLoop owner = loop;
            w.whenDone(() -> owner.execute(this::sendHeld));
        }
        return true;
    }

    private void sendHeld() {
        Written w = inflight.durable();
        if (outlet == null || nothingHeld()) {
            return;
        }
        if (!w.isDone()) {
            EventLoop owner = loop;
            w.whenDone(() -> owner.execute(this::sendHeld));
            return;
        }
        InflightEntry e;
        while ((e = held.poll()) != null) {
            if (inflight.get(e.packetId()) != e) {
                continue;                    // acknowledged or ended meanwhile
            }
            e.sentAtNanos = System.nanoTime();
            if (e.stage() == InflightWindow.Stage.AWAITING_PUBCOMP) {
                outlet.sendPubrel(e.packetId());
            } else {
                outlet.sendPublish(e.delivery(), e.packetId(), false);
            }
        }
        outlet.flush();
    }

    /** Whether {@code d} may go out now: QoS 0 when the socket takes it, QoS 1/2 when the window has room. */
    boolean canSendNow(Delivery d) {
        return d.qos() == 0 ? outlet.isWritable() : inflight.size() < window();
    }

    private int window() {
        return Math.min(settings.maxInflight(), outlet.receiveMaximum());
    }

    /** Writes a delivery (QoS 1/2 into the window first); takes its reference. */
    void send(Delivery d) {
        if (d.qos() == 0) {
            if (outlet.sendPublish(d, 0, false)) {
                delivered(d);
            } else {
                tooLarge(d);
            }
            d.release();
            return;
        }
        InflightEntry e = inflight.add(d, System.nanoTime());
        if ((d.qos() == 2 || !nothingHeld()) && holdUntilDurable(e)) {    // QoS 1 keeps its place behind
            delivered(d);
            armRetry();
            return;
        }
        if (!outlet.sendPublish(d, e.packetId(), false)) {
            inflight.remove(e.packetId());
            tooLarge(d);
            d.release();
            return;
        }
        delivered(d);
        armRetry();
    }

    private void delivered(Delivery d) {
        delivered++;
        if (events.active()) {
            events.messageDelivered(clientId, d.message());
        }
    }

    private void tooLarge(Delivery d) {
        if (events.active()) {
            events.messageDropped(clientId, d.message(), DropReason.TOO_LARGE);
        }
    }

    /** Resends what was in flight, with DUP, and PUBREL for what was already received: a connection attached. */
    void resend() {
        if (held != null) {
            held.clear();
        }
        if (!inflight.durable().isDone()) {
            // a packet id given out on the previous connection may not be durable yet: all wait for it, in order
            for (InflightEntry e : inflight.inSendOrder()) {
                holdUntilDurable(e);
            }
            return;
        }
        long now = System.nanoTime();
        for (InflightEntry e : inflight.inSendOrder()) {
            e.sentAtNanos = now;
            if (e.stage() == InflightWindow.Stage.AWAITING_PUBCOMP) {
                outlet.sendPubrel(e.packetId());
            } else if (!outlet.sendPublish(e.delivery(), e.packetId(), true)) {
                inflight.remove(e.packetId());
                tooLarge(e.delivery());
                e.delivery().release();
            } else {
                counters.bump(Counter.MESSAGES_RETRANSMITTED);
            }
        }
        armRetry();
    }

    /** @return false when no QoS 1 delivery had that id */
    boolean onPuback(int packetId) {
        InflightEntry e = inflight.get(packetId);
        if (e == null || e.stage() != InflightWindow.Stage.AWAITING_PUBACK) {
            return false;
        }
        inflight.remove(packetId);
        acked(e.delivery());
        e.delivery().release();
        return true;
    }

    /** The payload is no longer needed, PUBREL goes out. @return false for an unknown id */
    boolean onPubrec(int packetId) {
        InflightEntry e = inflight.get(packetId);
        if (e == null || e.stage() == InflightWindow.Stage.AWAITING_PUBACK) {
            return false;
        }
        Delivery d = inflight.released(e, System.nanoTime());
        if (d != null) {
            acked(d);                        // as EMQ: message.acked on PUBREC, the last time the message is held
            d.release();
        }
        if (!holdUntilDurable(e)) {
            outlet.sendPubrel(packetId);
        }
        return true;
    }

    private void acked(Delivery d) {
        if (events.active()) {
            events.messageAcked(clientId, d.message());
        }
    }

    /** A 5.0 PUBREC with an error reason ends that delivery. */
    void onPubrecFailed(int packetId) {
        InflightEntry e = inflight.remove(packetId);
        if (e != null && e.delivery() != null) {
            e.delivery().release();
        }
    }

    /** @return false when no delivery awaited it */
    boolean onPubcomp(int packetId) {
        InflightEntry e = inflight.get(packetId);
        if (e == null || e.stage() != InflightWindow.Stage.AWAITING_PUBCOMP) {
            return false;
        }
        inflight.remove(packetId);
        return true;
    }

    int size() {
        return inflight.size();
    }

    long delivered() {
        return delivered;
    }

    // ---------------------------------------------------------------- retry and await_rel timeout

    void armRetry() {
        if (retryTimer != null || outlet == null || (inflight.isEmpty() && receipts.isEmpty())) {
            return;
        }
        long interval = settings.retryInterval().toNanos();
        if (interval <= 0) {
            return;
        }
        retryTimer = loop.schedule(this, interval, TimeUnit.NANOSECONDS);
    }

    void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    /** The retry timer's task: this object is the task, so an idle session needs no lambda for it. */
    @Override
    public void run() {
        onRetryTimer();
    }

    private void onRetryTimer() {
        retryTimer = null;
        if (outlet == null) {
            return;
        }
        long now = System.nanoTime();
        // while QoS 2 packets are held for the store, a packet id in flight may not be durable yet: no resend may
        // overtake them (they go out, in order, once it is; the next tick retries)
        if (outlet.retriesInflight() && nothingHeld()) {
            long interval = settings.retryInterval().toNanos();
            for (InflightEntry e : inflight.inSendOrder()) {
                if (now - e.sentAtNanos < interval) {
                    continue;
                }
                e.sentAtNanos = now;
                if (e.stage() == InflightWindow.Stage.AWAITING_PUBCOMP) {
                    outlet.sendPubrel(e.packetId());
                } else {
                    outlet.sendPublish(e.delivery(), e.packetId(), true);
                }
                counters.bump(Counter.MESSAGES_RETRANSMITTED);
            }
        }
        long relTimeout = settings.awaitRelTimeout().toNanos();
        if (relTimeout > 0 && !receipts.isEmpty()) {
            receipts.expire(now, relTimeout);
        }
        outlet.flush();
        armRetry();
    }
}
