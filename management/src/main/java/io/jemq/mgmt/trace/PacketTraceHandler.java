package io.jemq.mgmt.trace;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Put behind the framer of one traced connection (protocol/PacketTracer): sees the packets whole as they are read
 * (several in one buffer when they came in one read), and as they are written (a PUBLISH may come as two buffers,
 * header then payload, joined here), copies each one's first bytes and hands them to the writer thread. Never changes
 * or holds what passes. Event loop of its connection only.
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
            // the framer passes whole packets, several in one buffer when they came in one read
            int pos = b.readerIndex();
            while (pos < b.writerIndex()) {
                int total = packetLength(b, pos);
                byte[] copy = new byte[Math.min(Math.min(total, b.writerIndex() - pos), copyMax)];
                b.getBytes(pos, copy);
                trace.packet(client, "RECV", copy, protocolLevel);
                pos += total;
            }
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

    /** Outbound bytes: the rest of a packet whose start came in an earlier write, then whole packets. */
    private void sent(ByteBuf b) {
        int pos = b.readerIndex();
        int end = b.writerIndex();
        if (outMissing > 0) {
            int part = Math.min(end - pos, outMissing);
            int take = Math.min(part, outCopy.length - outCopied);
            b.getBytes(pos, outCopy, outCopied, take);
            outCopied += take;
            outMissing -= part;
            pos += part;
            if (outMissing == 0) {
                trace.packet(client, "SEND", outCopy, protocolLevel);
                outCopy = null;
            }
        }
        while (pos < end) {
            int total = packetLength(b, pos);
            int here = Math.min(total, end - pos);
            byte[] copy = new byte[Math.min(total, copyMax)];
            int take = Math.min(here, copy.length);
            b.getBytes(pos, copy, 0, take);
            if (here == total) {
                trace.packet(client, "SEND", copy, protocolLevel);
            } else {
                outCopy = copy;
                outCopied = take;
                outMissing = total - here;
            }
            pos += here;
        }
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
