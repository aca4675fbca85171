package io.jemq.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

import java.util.List;

/**
 * Splits the byte stream into MQTT packets. PUBLISH and its acknowledgements, the packets that come by the million,
 * are handled
 * here without building a message object; the rare ones (CONNACK, SUBACK, PINGRESP, DISCONNECT) are passed on as
 * whole frames to Netty's {@code MqttDecoder}.
 */
final class FrameReader extends ByteToMessageDecoder {
    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;
    private static final int PUBREC = 5;
    private static final int PUBREL = 6;
    private static final int PUBCOMP = 7;
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private final BenchClient client;
    private final boolean v5;

    FrameReader(BenchClient client, boolean v5) {
        this.client = client;
        this.v5 = v5;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            if (end - start < 2) {
                return;
            }
            int length = 0;
            int pos = start + 1;
            for (int shift = 0; ; shift += 7) {
                if (pos == end) {
                    return; // remaining length not complete yet
                }
                int b = in.getUnsignedByte(pos++);
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (shift == 21) {
                    throw new DecoderException("remaining length longer than 4 bytes");
                }
            }
            if (length > MAX_FRAME) {
                throw new DecoderException("packet of " + length + " bytes is larger than " + MAX_FRAME);
            }
            if (end - pos < length) {
                return;
            }
            int header = in.getUnsignedByte(start);
            switch (header >> 4) {
                case PUBLISH -> publish(in, header, pos, length);
                case PUBACK -> client.pubAck(in.getUnsignedShort(pos));
                case PUBREC -> client.pubRec(in.getUnsignedShort(pos));
                case PUBREL -> client.pubRel(in.getUnsignedShort(pos));
                case PUBCOMP -> client.pubComp(in.getUnsignedShort(pos));
                default -> out.add(in.retainedSlice(start, pos + length - start));
            }
            in.readerIndex(pos + length);
        }
    }

    private void publish(ByteBuf in, int header, int pos, int length) {
        int qos = header >> 1 & 3;
        int end = pos + length;
        int p = pos + 2 + in.getUnsignedShort(pos);
        int packetId = 0;
        if (qos > 0) {
            packetId = in.getUnsignedShort(p);
            p += 2;
        }
        if (v5) {
            int propertiesLength = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.getUnsignedByte(p++);
                propertiesLength |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0 || shift == 21) {
                    break;
                }
            }
            p += propertiesLength;
        }
        if (p > end) {
            throw new DecoderException("PUBLISH header runs past its remaining length");
        }
        client.publish(qos, packetId, in, p, end - p);
    }
}
