package io.jemq.codec;

import io.jemq.sys.Metrics;
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

    private final int maxRemainingLength;
    private final Metrics metrics;
    private final PacketCheck check = new PacketCheck();
    private boolean rejected;

    public PacketFramer(int maxPacketSize, Metrics metrics) {
        this.maxRemainingLength = maxPacketSize;
        this.metrics = metrics;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!rejected && in.isReadable()) {
            int start = in.readerIndex();
            int readable = in.readableBytes();
            int remaining = 0;
            int headerLength = 1;
            int b;
            do {
                if (headerLength > 4) {
                    reject(ctx, in, out, new Malformed("remaining length longer than four bytes"));
                    return;
                }
                if (headerLength >= readable) {
                    return;                            // the fixed header is not complete yet
                }
                b = in.getByte(start + headerLength) & 0xFF;
                remaining |= (b & 0x7F) << 7 * (headerLength - 1);
                headerLength++;
            } while ((b & 0x80) != 0);
            if (remaining > maxRemainingLength) {
                reject(ctx, in, out, TOO_LARGE);
                return;
            }
            int total = headerLength + remaining;
            if (readable < total) {
                return;                                // the body is still coming
            }
            try {
                check.check(in, start, headerLength, remaining);
            } catch (PacketCheck.Malformed e) {
                reject(ctx, in, out, new Malformed(e.getMessage()));
                return;
            }
            out.add(in.retainedSlice(start, total));
            in.skipBytes(total);
        }
        if (rejected) {
            in.skipBytes(in.readableBytes());
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
        in.skipBytes(in.readableBytes());
        metrics.packetsMalformed.increment();
        ctx.fireUserEventTriggered(event);         // the connection logs it, naming the client, and closes
    }
}
