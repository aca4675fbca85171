package io.jemq.protocol;

import io.jemq.store.Written;
import io.netty.handler.codec.mqtt.MqttMessageType;

import java.util.ArrayDeque;

/**
 * A connection's PUBACK, PUBREC and PUBCOMP that wait until the store writes they answer for are durable (a disk
 * store commits in groups), written in the order their packets arrived (MQTT 4.6): an acknowledgement whose write is
 * durable already still waits behind an earlier one that is not. With the memory store every write is durable at
 * once and nothing is ever queued here.
 *
 * <p>Threads: the connection's event loop; the store's commit thread only schedules {@link #drain} there.
 */
final class DurableAcks implements Runnable {
    private final Connection c;
    /** Made at first use: with the memory store nothing ever waits, and idle clients are counted per connection. */
    private ArrayDeque<Pending> waiting;
    /** The last write a drain was scheduled for: writes of one commit group share it, so one wake-up serves all. */
    private Written watched;

    private record Pending(MqttMessageType type, int packetId, byte code, Written written) {
    }

    DurableAcks(Connection c) {
        this.c = c;
    }

    /** Writes the acknowledgement now, or once {@code written} (and every earlier one) is durable. */
    void send(MqttMessageType type, int packetId, byte code, Written written) {
        if ((waiting == null || waiting.isEmpty()) && written.isDone()) {
            c.out.pubReply(type, packetId, code);
            return;
        }
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        waiting.add(new Pending(type, packetId, code, written));
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
            c.out.pubReply(p.type(), p.packetId(), p.code());
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
