package io.jemq.mgmt.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Put behind the framer of one traced connection (protocol/PacketTracer): sees each packet whole as it is read, and
 * each packet as it is written (a PUBLISH may come as two buffers, header then payload, joined here), copies its first
 * bytes and hands them to the writer thread. Never changes or holds what passes. Event loop of its connection only.
 */
final class PacketTraceHandler extends ChannelDuplexHandler {
    private final ClientTrace trace;
    private final String client;
    private final int protocolLevel;
    private final int copyMax;
    /** The outbound packet being copied, when its bytes came in more than one write. */
    private byte[] outCopy;
    private int outCopied;
    private int outMissing;

    /** @param client {@code Client(<id>@<ip>:<port>)}, as EMQ names a client in its trace lines */
    PacketTraceHandler(ClientTrace trace, String client, int protocolLevel, int payloadMax) {
        this.trace = trace;
        this.client = client;
        this.protocolLevel = protocolLevel;
        this.copyMax = payloadMax + 1024;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && !trace.isStopped()) {
            byte[] copy = new byte[Math.min(b.readableBytes(), copyMax)];
            b.getBytes(b.readerIndex(), copy);
            trace.packet(client, "RECV", copy, protocolLevel);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf b && b.isReadable() && !trace.isStopped()) {
            sent(b);
        }
        ctx.write(msg, promise);
    }

    private void sent(ByteBuf b) {
        int at = b.readerIndex();
        int readable = b.readableBytes();
        if (outMissing > 0) {                       // the rest of a packet whose header came first
            int take = Math.min(readable, outCopy.length - outCopied);
            b.getBytes(at, outCopy, outCopied, take);
            outCopied += take;
            outMissing -= Math.min(outMissing, readable);
            if (outMissing == 0) {
                trace.packet(client, "SEND", outCopy, protocolLevel);
                outCopy = null;
            }
            return;
        }
        int total = packetLength(b, at);
        byte[] copy = new byte[Math.min(total, copyMax)];
        int take = Math.min(readable, copy.length);
        b.getBytes(at, copy, 0, take);
        if (readable >= total) {
            trace.packet(client, "SEND", copy, protocolLevel);
            return;
        }
        outCopy = copy;
        outCopied = take;
        outMissing = total - readable;
    }

    /** The whole packet's length from its fixed header (the buffer starts a packet). */
    private static int packetLength(ByteBuf b, int at) {
        int remaining = 0;
        int i = at + 1;
        for (int shift = 0; shift < 28 && i < b.writerIndex(); shift += 7) {
            int d = b.getUnsignedByte(i++);
            remaining |= (d & 0x7F) << shift;
            if ((d & 0x80) == 0) {
                break;
            }
        }
        return i - at + remaining;
    }
}
