package io.jemq.protocol;

import io.jemq.store.Written;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;

import java.util.ArrayDeque;

/**
 * A connection's PUBACK, PUBREC, PUBCOMP, SUBACK and UNSUBACK that wait until the store writes they answer for are
 * durable (a disk store commits in groups), written in the order their packets arrived (MQTT 4.6): an acknowledgement
 * whose write is durable already still waits behind an earlier one that is not. So a subscription a client saw
 * acknowledged is on disk, as a message its publisher saw acknowledged is. With the memory store every write is
 * durable at once and nothing is ever queued here.
 *
 * <p>Threads: the connection's event loop; the store's commit thread only schedules {@link #drain} there.
 */
final class DurableAcks implements Runnable {
    private final Connection c;
    /** Made at first use: with the memory store nothing ever waits, and idle clients are counted per connection. */
    private ArrayDeque<Pending> waiting;
    /** The last write a drain was scheduled for: writes of one commit group share it, so one wake-up serves all. */
    private Written watched;

    /** A publish reply ({@code packet} null), or a whole packet and what follows it once it is written. */
    private record Pending(MqttMessageType type, int packetId, byte code, Written written, MqttMessage packet,
                           Runnable then) {
    }

    DurableAcks(Connection c) {
        this.c = c;
    }

    /** Writes the acknowledgement now, or once {@code written} (and every earlier one) is durable. */
    void send(MqttMessageType type, int packetId, byte code, Written written) {
        if (writableNow(written)) {
            c.out.pubReply(type, packetId, code);
            return;
        }
        enqueue(new Pending(type, packetId, code, written, null, null));
    }

    /**
     * Writes {@code packet} (a SUBACK, an UNSUBACK) now, or once {@code written} and every earlier acknowledgement
     * are durable; {@code then} (may be null) runs right after it is written, e.g. the retained messages a new
     * subscription should see.
     */
    void send(MqttMessage packet, Written written, Runnable then) {
        if (writableNow(written)) {
            writeAndThen(packet, then);
            return;
        }
        enqueue(new Pending(null, 0, (byte) 0, written, packet, then));
    }

    /** Durable already, and no earlier acknowledgement waits: MQTT's order allows it out now. */
    private boolean writableNow(Written written) {
        return (waiting == null || waiting.isEmpty()) && written.isDone();
    }

    private void writeAndThen(MqttMessage packet, Runnable then) {
        c.out.write(packet);
        if (then != null) {
            then.run();
        }
    }

    private void enqueue(Pending pending) {
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        Written written = pending.written();
        waiting.add(pending);
        if (written != watched && !written.isDone()) {
            watched = written;
            written.whenDone(() -> c.channel.eventLoop().execute(this));
        } else if (written.isDone() && waiting.size() == 1) {
            c.channel.eventLoop().execute(this);
        }
    }

    /** The drain, as the loop's task: this object is the task, so a connection needs no lambda for it. */
    @Override
    public void run() {
        drain();
    }

    private void drain() {
        Pending p;
        boolean wrote = false;
        while ((p = waiting.peek()) != null && p.written().isDone()) {
            waiting.poll();
            if (p.packet() == null) {
                c.out.pubReply(p.type(), p.packetId(), p.code());
            } else {
                writeAndThen(p.packet(), p.then());
            }
            wrote = true;
        }
        if (p != null && p.written() != watched) {
            watched = p.written();
            p.written().whenDone(() -> c.channel.eventLoop().execute(this));
        }
        if (wrote) {
            c.out.flush();
        }
    }
}
