package io.jemq.codec;

import io.jemq.limits.Budget;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.transport.ReadGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the byte stream into whole MQTT packets and hands Netty's MqttDecoder one checked packet at a time.
 *
 * <ul>
 *   <li>{@code mqtt.max_packet_size} is enforced from the fixed header, before any of the body is buffered (Netty's
 *       decoder checks only once the variable header is in, so a peer announcing a huge packet could make it wait
 *       and buffer).</li>
 *   <li>Each packet is walked by {@link PacketCheck} (lengths within the packet, strict UTF-8) before it is decoded,
 *       so a bad packet is refused on its own and never swallows the packet behind it.</li>
 *   <li>A packet counts as received only once it is whole: the connect timeout and the keepalive, which sit behind
 *       this handler, are not reset by a peer trickling bytes.</li>
 * </ul>
 *
 * On the first bad packet the rest of the input is dropped, the packet is counted in {@code packets/malformed}, and
 * {@link #TOO_LARGE} or a {@link Malformed} event is fired so the connection answers (5.0: DISCONNECT 0x95 or 0x81)
 * and closes.
 */
public final class PacketFramer extends ByteToMessageDecoder {
    /** The user event fired when a packet is above {@code mqtt.max_packet_size}. */
    public static final Object TOO_LARGE = new Object() {
        @Override
        public String toString() {
            return "packet too large";
        }
    };

    /** The user event fired for a packet that breaks the encoding rules; {@code reason} is for the log. */
    public record Malformed(String reason) {
    }

    /** Packets up to this size are received without a reservation: they cost each connection little. */
    static final int UNRESERVED_PACKET_BYTES = 4096;

    private final int maxRemainingLength;
    private final Counters counters;
    private final Budget reads;
    private final PacketCheck check = new PacketCheck();
    private boolean rejected;
    private ChannelHandlerContext ctx;
    private long reserved;          // bytes of mqtt.budget.reads held for the packet being received
    private long wanted;            // bytes a refused reservation waits for; 0 when not waiting

    public PacketFramer(int maxPacketSize, Counters counters, Budget reads) {
        this.maxRemainingLength = maxPacketSize;
        this.counters = counters;
        this.reads = reads;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (wanted > 0) {
            // waiting for read memory: ByteToMessageDecoder would ask for more bytes since it produced no packet
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        wanted = 0;
        releaseReservation();
    }

    /**
     * Checks every whole packet in {@code in} and passes them on as one buffer (the decoder then works through them
     * in one go, as it would without this step: a buffer per packet cost a pipeline pass each and doubled the
     * broker's CPU per QoS 0 message).
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int pos = in.readerIndex();
        int end = in.writerIndex();
        while (!rejected && pos < end) {
            int readable = end - pos;
            int remaining = 0;
            int headerLength = 1;
            int b;
            do {
                if (headerLength > 4) {
                    emit(in, out, pos);
                    reject(ctx, in, out, new Malformed("remaining length longer than four bytes"));
                    return;
                }
                if (headerLength >= readable) {
                    emit(in, out, pos);                // the fixed header is not complete yet
                    return;
                }
                b = in.getByte(pos + headerLength) & 0xFF;
                remaining |= (b & 0x7F) << 7 * (headerLength - 1);
                headerLength++;
            } while ((b & 0x80) != 0);
            if (remaining > maxRemainingLength) {
                emit(in, out, pos);
                reject(ctx, in, out, TOO_LARGE);
                return;
            }
            int total = headerLength + remaining;
            if (readable < total) {
                emit(in, out, pos);
                reserveFor(total, in, out);            // the body is still coming
                return;
            }
            releaseReservation();
            try {
                check.check(in, pos, headerLength, remaining);
            } catch (PacketCheck.Malformed e) {
                emit(in, out, pos);
                reject(ctx, in, out, new Malformed(e.getMessage()));
                return;
            }
            pos += total;
        }
        emit(in, out, pos);
        if (rejected) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Passes on the checked packets from the reader index up to {@code checkedEnd}, as one buffer. */
    private static void emit(ByteBuf in, List<Object> out, int checkedEnd) {
        int start = in.readerIndex();
        if (checkedEnd > start) {
            out.add(in.retainedSlice(start, checkedEnd - start));
            in.readerIndex(checkedEnd);
        }
    }

    /**
     * A large packet's body is on its way: its bytes are reserved from {@code mqtt.budget.reads} before they are
     * buffered. When the budget is spent the connection stops reading (the bytes wait in the socket, not in the
     * heap) until another connection gives memory back.
     */
    private void reserveFor(int packetBytes, ByteBuf in, List<Object> out) {
        if (packetBytes <= UNRESERVED_PACKET_BYTES || reserved >= packetBytes || wanted > 0) {
            return;
        }
        if (packetBytes > reads.limit()) {
            reject(ctx, in, out, TOO_LARGE);           // it could never be received: as if above max_packet_size
            return;
        }
        if (reads.tryReserve(packetBytes - reserved)) {
            reserved = packetBytes;
            return;
        }
        wanted = packetBytes;
        ReadGate.pause(ctx.channel(), ReadGate.READ_BUDGET);
        reads.whenReleased(this::retryFromAnyThread);
    }

    private void retryFromAnyThread() {
        ctx.channel().eventLoop().execute(this::retryReservation);
    }

    private void retryReservation() {
        if (wanted == 0 || !ctx.channel().isActive()) {
            return;
        }
        if (reads.tryReserve(wanted - reserved)) {
            reserved = wanted;
            wanted = 0;
            ReadGate.resume(ctx.channel(), ReadGate.READ_BUDGET);
        } else {
            reads.whenReleased(this::retryFromAnyThread);
        }
    }

    private void releaseReservation() {
        if (reserved > 0) {
            long bytes = reserved;
            reserved = 0;
            reads.release(bytes);
        }
    }

    /**
     * Refuses the packet at the reader index and everything after it. Packets cut before it in this same call are
     * still in {@code out}: the event would overtake them and the connection, closing on it, would drop them. So
     * they go first: ByteToMessageDecoder passes them on and calls decode again, which comes back here with
     * {@code out} empty.
     */
    private void reject(ChannelHandlerContext ctx, ByteBuf in, List<Object> out, Object event) {
        if (!out.isEmpty()) {
            return;
        }
        rejected = true;
        if (in != null) {
            in.skipBytes(in.readableBytes());
        }
        counters.bump(Counter.PACKETS_MALFORMED);
        ctx.fireUserEventTriggered(event);         // the connection logs it, naming the client, and closes
    }
}
