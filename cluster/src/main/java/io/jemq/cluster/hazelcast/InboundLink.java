package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.flow.PublisherPause;
import io.jemq.message.Delivery;
import io.jemq.message.Message;
import io.jemq.session.Session;
import io.jemq.store.Written;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One connection another node's {@link PeerLink} opened to this node: it says who it is (HELLO), then sends frames.
 * A message is routed to the local subscribers in a store unit of its own; a numbered frame this node accepted
 * already (sent again after a reconnect) is dropped. After each read batch one cumulative acknowledgement goes back
 * on the same connection, once the store has what was accepted: never one per message.
 *
 * <p>Flow control: a message routed to a congested subscriber pauses reading this connection as it would pause a
 * local publisher ({@link PublisherPause}: until the subscriber drains, {@code mqtt.mqueue.max_pause} at most). The
 * frames of the last read that come after the one that paused it are held, unhandled and unacknowledged, until
 * reading resumes (a read is up to 64 KB: hundreds of small messages that would overflow the subscriber's queue);
 * what was not read stays in the socket, so TCP holds the sending node back, whose link then pauses its own
 * publishers (see {@link PeerLink}), and its QoS 1/2 publishers' acknowledgements wait meanwhile.
 *
 * <p>Threads: the connection's loop (one of {@link PeerLinks}' loops); a store write's completion hops back to it.
 */
final class InboundLink extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(InboundLink.class);

    private final PeerLinks links;
    private final Broker broker;
    private SenderState sender;
    private String from = "?";
    private boolean ackDue;
    private PublisherPause pause;
    /** Frames read while the link is paused: handled, in order, when reading resumes. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();

    InboundLink(PeerLinks links, Broker broker) {
        this.links = links;
        this.broker = broker;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pause = new PublisherPause(ctx.channel(), broker.settings().mqueue().maxPause(), () -> "link from " + from,
                () -> resumed(ctx));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pause.forget();
        held.forEach(ByteBuf::release);         // not acknowledged: the sending node sends them again
        held.clear();
        ctx.fireChannelInactive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (!held.isEmpty() || pause.isPaused()) {
            held.add(frame.retain());
            return;
        }
        read(ctx, frame);
    }

    /** Reading resumed: the held frames are handled until a congested subscriber pauses the link again. */
    private void resumed(ChannelHandlerContext ctx) {
        ByteBuf frame;
        while (!pause.isPaused() && (frame = held.poll()) != null) {
            try {
                read(ctx, frame);
            } finally {
                frame.release();
            }
        }
        ackIfDue(ctx);
    }

    private void read(ChannelHandlerContext ctx, ByteBuf frame) {
        byte type = frame.readByte();
        long seq = frame.readLong();
        if (type == PeerCodec.HELLO) {
            from = PeerCodec.readString(frame);
            sender = links.sender(from, frame.readLong(), seq);
            ackDue = true;
            return;
        }
        if (sender == null) {
            log.warn("cluster link from {} sent a frame before saying who it is: closed",
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        if (seq == 0) {
            handle(type, frame);
            return;
        }
        synchronized (sender) {
            if (sender.isNew(seq)) {
                sender.accepted(seq, handle(type, frame));
            }
        }
        ackDue = true;
    }

    /** @return the store write the frame's effects wait for */
    private Written handle(byte type, ByteBuf frame) {
        if (type == PeerCodec.MESSAGE) {
            PeerCodec.Forwarded f = PeerCodec.readForwarded(frame);
            Message m = f.message();
            Written written;
            beginUnits();                       // a session moving away forwards it on: that node accepts it too
            try {
                GroupTable.asPeer(f.groups(), () -> broker.publishFromPeer(m, pause));
            } finally {
                m.release();
                written = endUnits();
            }
            return written;
        }
        if (type == PeerCodec.TAKE_OVER) {
            links.takeOver(PeerCodec.readString(frame), frame.readBoolean(), PeerCodec.readString(frame));
        } else if (type == PeerCodec.SESSION) {
            String clientId = PeerCodec.readString(frame);
            links.sessionArrived(clientId, PeerCodec.readSession(frame));
        } else if (type == PeerCodec.DELIVER) {
            return deliver(PeerCodec.readString(frame), PeerCodec.readDelivery(frame));
        }
        return Written.DONE;
    }

    /** A delivery for a session that moved here, forwarded by the node it left; in a store unit of its own. */
    private Written deliver(String clientId, Delivery d) {
        Session s = broker.sessions().get(clientId);
        if (s == null || !broker.sessions().isCurrent(s)) {
            d.release();
            return Written.DONE;
        }
        Written written;
        beginUnits();                           // and the session's replica, when it is durable
        try {
            s.deliver(d.message(), d.qos(), d.retainFlag(), d.subscriptionIds(), broker.router().removals());
            if (s.isCongested()) {
                pause.congested(s);
            }
        } finally {
            written = endUnits();
        }
        return written;
    }

    /**
     * A frame's message is routed in a store unit and a publish acceptance of its own: its acknowledgement waits
     * for the store's write and for what the routing started elsewhere (a node a moving session forwards it to, a
     * durable session's replica).
     */
    private void beginUnits() {
        broker.store().beginUnit();
        PublishAcceptance.begin();
    }

    private Written endUnits() {
        Written written = broker.store().endUnit();
        PublishAcceptance onward = PublishAcceptance.end();
        return onward == null ? written : BothWritten.of(written, onward);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ackIfDue(ctx);
    }

    private void ackIfDue(ChannelHandlerContext ctx) {
        if (!ackDue) {
            return;
        }
        ackDue = false;
        long upTo;
        Written written;
        synchronized (sender) {                 // one consistent pair: the number and the write behind it
            upTo = sender.acceptedUpTo();
            written = sender.lastWritten();
        }
        Channel ch = ctx.channel();
        if (written.isDone()) {
            ack(ch, upTo);
        } else {
            written.whenDone(() -> ch.eventLoop().execute(() -> ack(ch, upTo)));
        }
    }

    private static void ack(Channel ch, long upTo) {
        if (ch.isActive()) {
            ch.writeAndFlush(PeerCodec.ack(ch.alloc(), upTo), ch.voidPromise());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("cluster link from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
