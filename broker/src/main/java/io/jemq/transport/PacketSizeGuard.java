package io.jemq.transport;

import io.jemq.sys.Metrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces {@code mqtt.max_packet_size} from each packet's fixed header, before any of its body arrives: Netty's
 * MqttDecoder checks the size only once the variable header is in, so a peer announcing a huge CONNECT or
 * SUBSCRIBE could make it wait and buffer. This handler only follows packet boundaries through the byte stream
 * (type byte, remaining length, skip) and passes every buffer on untouched. When a packet is too large it drops
 * the rest of the input and fires {@link #TOO_LARGE} so the connection can answer (5.0: DISCONNECT 0x95) and close.
 */
public final class PacketSizeGuard extends ChannelInboundHandlerAdapter {
    /** The user event fired when a packet is above the limit or its length field is malformed. */
    public static final Object TOO_LARGE = new Object() {
        @Override
        public String toString() {
            return "packet too large";
        }
    };

    private static final Logger log = LoggerFactory.getLogger(PacketSizeGuard.class);

    private final int maxRemainingLength;
    private final Metrics metrics;
    private long bodyLeft;          // bytes of the current packet's body still to come
    private int headerBytes;        // fixed-header bytes seen of the next packet (0 = at a packet boundary)
    private int remaining;          // remaining length decoded so far
    private int multiplier = 1;
    private boolean rejected;

    PacketSizeGuard(int maxPacketSize, Metrics metrics) {
        this.maxRemainingLength = maxPacketSize;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejected) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf buf && !follow(buf)) {
            rejected = true;
            buf.release();
            metrics.packetsMalformed.increment();
            log.debug("{}: packet larger than mqtt.max_packet_size ({} bytes) or bad length",
                    ctx.channel().remoteAddress(), maxRemainingLength);
            ctx.fireUserEventTriggered(TOO_LARGE);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the packet boundaries in this buffer. @return false when a packet is too large or its length bad */
    private boolean follow(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (bodyLeft > 0) {
                long skip = Math.min(bodyLeft, end - i);
                bodyLeft -= skip;
                i += (int) skip;
                continue;
            }
            if (headerBytes == 0) {         // the type byte
                headerBytes = 1;
                remaining = 0;
                multiplier = 1;
                i++;
                continue;
            }
            int b = buf.getByte(i++) & 0xFF;
            remaining += (b & 0x7F) * multiplier;
            multiplier *= 128;
            headerBytes++;
            if ((b & 0x80) == 0) {
                if (remaining > maxRemainingLength) {
                    return false;
                }
                bodyLeft = remaining;
                headerBytes = 0;
            } else if (headerBytes > 4) {
                return false;               // a remaining length takes at most four bytes
            }
        }
        return true;
    }
}
