package io.jemq.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.jemq.sys.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The fuzz target of {@link Mqtt311DecoderFuzzTest} and {@link Mqtt5DecoderFuzzTest}: the MQTT decoding front as the
 * broker's pipeline has it: {@link PacketFramer} then Netty's MqttDecoder, fed a valid CONNECT (3.1.1 or 5.0) and
 * then the fuzz input, cut into up to four chunks. A finding is any of:
 * <ul>
 *   <li>an exception out of the pipeline (the framer turns bad input into a Malformed or TOO_LARGE event, the decoder
 *       into a message with a failed decoder result: nothing should throw);</li>
 *   <li>a packet passed on after the framer refused one, or passed on after the refusal event (the connection closes
 *       on the event: a packet that comes after it is lost);</li>
 *   <li>a message decoded after one whose decoder result failed (the connection closes on that one), or a packet
 *       that did not decode to exactly one message (the decoder read past it, or left part of it);</li>
 *   <li>a decoded PUBLISH topic, SUBSCRIBE or UNSUBSCRIBE filter, client id, will topic or user name that does not
 *       re-encode to the exact bytes of its packet (U+FFFD substitution: the strict UTF-8 check let it through);</li>
 *   <li>a buffer left unreleased once every message is released and the channel is closed.</li>
 * </ul>
 *
 * <p>Input layout, so that seeds can be written by hand: the packet bytes, then six bytes for three cut points (big
 * endian shorts, each taken modulo the length plus one), then one flag byte, whose bit 0 says whether the fixed
 * CONNECT is sent first (clear it to fuzz the CONNECT itself). The corpus is in
 * {@code src/test/resources/io/jemq/codec/Mqtt311DecoderFuzzTestInputs/decode/} and {@code Mqtt5...}; seeds come from
 * {@code src/test/fuzz/make-decoder-seeds.py}; see docs/reliability.md.
 */
final class DecoderFuzzing {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    static final byte[] CONNECT_311 = HEX.parseHex("10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61");
    static final byte[] CONNECT_5 = HEX.parseHex("10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61");

    /** Small, so that a fuzz input of a few KB can be above it. */
    static final int MAX_PACKET_SIZE = 2048;
    static final int MAX_CLIENT_ID_LENGTH = 64;

    private DecoderFuzzing() {
    }

    static void run(byte[] connect, FuzzedDataProvider data) {
        int flags = data.consumeByte();
        int[] cuts = {data.consumeShort() & 0xFFFF, data.consumeShort() & 0xFFFF, data.consumeShort() & 0xFFFF};
        byte[] input = data.consumeRemainingAsBytes();
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] %= input.length + 1;
        }
        Arrays.sort(cuts);

        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true);
        Recorder framed = new Recorder();
        Recorder decoded = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(MAX_PACKET_SIZE, new Counters(),
                io.jemq.limits.MemoryBudgets.unlimited().reads()), framed,
                new io.netty.handler.codec.mqtt.MqttDecoder(MAX_PACKET_SIZE, MAX_CLIENT_ID_LENGTH), decoded);
        ch.config().setAllocator(alloc);
        try {
            if ((flags & 1) != 0) {
                write(ch, alloc, connect);
            }
            int from = 0;
            for (int cut : cuts) {
                write(ch, alloc, Arrays.copyOfRange(input, from, cut));
                from = cut;
            }
            write(ch, alloc, Arrays.copyOfRange(input, from, input.length));
            ch.finish();
            check(framed.log, decoded.log);
        } finally {
            ch.finishAndReleaseAll();
            decoded.log.forEach(ReferenceCountUtil::release);
        }
        long left = alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory();
        if (left != 0) {
            throw new AssertionError(left + " bytes of buffers not released");
        }
    }

    private static void write(EmbeddedChannel ch, UnpooledByteBufAllocator alloc, byte[] bytes) {
        if (bytes.length == 0) {
            return;
        }
        ByteBuf buf = alloc.heapBuffer(bytes.length).writeBytes(bytes);
        try {
            ch.writeInbound(buf);              // rethrows what reached the end of the pipeline
        } catch (RuntimeException | Error e) {
            throw new AssertionError("an exception escaped the pipeline: " + e, e);
        }
    }

    /** What one point of the pipeline saw, in order: messages and user events. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> log = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf packets) {
                // the framer passes on whole packets, several to a buffer: logged one by one (copies: the buffer goes
                // on to the decoder)
                byte[] bytes = ByteBufUtil.getBytes(packets);
                int at = 0;
                while (at < bytes.length) {
                    int remaining = 0;
                    int header = 1;
                    int b;
                    do {
                        b = bytes[at + header] & 0xFF;
                        remaining |= (b & 0x7F) << 7 * (header - 1);
                        header++;
                    } while ((b & 0x80) != 0);
                    log.add(java.util.Arrays.copyOfRange(bytes, at, at + header + remaining));
                    at += header + remaining;
                }
                ctx.fireChannelRead(msg);
            } else {
                log.add(msg);                                 // released by run()
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            log.add(evt);
            ctx.fireUserEventTriggered(evt);
        }
    }

    private static boolean isRefusal(Object evt) {
        return evt == PacketFramer.TOO_LARGE || evt instanceof PacketFramer.Malformed;
    }

    private static void check(List<Object> framed, List<Object> decoded) {
        // the framer: whole packets, then at most one refusal, and nothing after it
        List<byte[]> packets = new ArrayList<>();
        boolean refused = false;
        for (Object o : framed) {
            if (o instanceof byte[] packet) {
                if (refused) {
                    throw new AssertionError("a packet was passed on after the framer's refusal event");
                }
                packets.add(packet);
            } else if (isRefusal(o)) {
                if (refused) {
                    throw new AssertionError("a second refusal event: " + o);
                }
                refused = true;
            } else {
                throw new AssertionError("unexpected event from the framer: " + o);
            }
        }
        // the decoder: one message per packet, until one fails; the events pass through
        List<MqttMessage> messages = new ArrayList<>();
        for (Object o : decoded) {
            if (o instanceof MqttMessage m) {
                if (!messages.isEmpty() && messages.get(messages.size() - 1).decoderResult().isFailure()) {
                    throw new AssertionError("a message was decoded after a failed one: " + m);
                }
                messages.add(m);
            } else if (!isRefusal(o)) {
                throw new AssertionError("the decoder passed on something else than a message: " + o);
            }
        }
        boolean failed = !messages.isEmpty() && messages.get(messages.size() - 1).decoderResult().isFailure();
        if (failed ? messages.size() > packets.size() : messages.size() != packets.size()) {
            throw new AssertionError(packets.size() + " packets decoded to " + messages.size() + " messages");
        }
        int version = 4;
        for (int i = 0; i < messages.size(); i++) {
            MqttMessage m = messages.get(i);
            if (m.decoderResult().isFailure()) {
                break;
            }
            Packet raw = new Packet(packets.get(i));
            if (m.fixedHeader().messageType().value() != raw.type) {
                throw new AssertionError("packet of type " + raw.type + " decoded as " + m);
            }
            if (m instanceof MqttConnectMessage c) {
                version = c.variableHeader().version();
                checkConnect(raw, c);
            } else if (m instanceof MqttPublishMessage p) {
                same("PUBLISH topic", raw.string(), p.variableHeader().topicName());
            } else if (m instanceof MqttSubscribeMessage s) {
                raw.skip(2);
                if (version == 5) {
                    raw.skip(raw.varInt());
                }
                for (MqttTopicSubscription sub : s.payload().topicSubscriptions()) {
                    same("SUBSCRIBE filter", raw.string(), sub.topicName());
                    raw.skip(1);
                }
                raw.atEnd("SUBSCRIBE");
            } else if (m instanceof MqttUnsubscribeMessage u) {
                raw.skip(2);
                if (version == 5) {
                    raw.skip(raw.varInt());
                }
                for (String filter : u.payload().topics()) {
                    same("UNSUBSCRIBE filter", raw.string(), filter);
                }
                raw.atEnd("UNSUBSCRIBE");
            }
        }
    }

    private static void checkConnect(Packet raw, MqttConnectMessage c) {
        same("protocol name", raw.string(), c.variableHeader().name());
        int level = raw.u8();
        int flags = raw.u8();
        raw.skip(2);
        if (level == 5) {
            raw.skip(raw.varInt());
        }
        MqttConnectPayload payload = c.payload();
        same("client id", raw.string(), payload.clientIdentifier());
        if ((flags & 0x04) != 0) {
            if (level == 5) {
                raw.skip(raw.varInt());
            }
            same("will topic", raw.string(), payload.willTopic());
            raw.skip(raw.u16());
        }
        if ((flags & 0x80) != 0) {
            same("user name", raw.string(), payload.userName());
        }
    }

    private static void same(String what, byte[] raw, String decoded) {
        if (decoded == null || !Arrays.equals(raw, decoded.getBytes(StandardCharsets.UTF_8))) {
            throw new AssertionError(what + " of bytes " + HexFormat.of().formatHex(raw) + " decoded as \""
                    + decoded + "\", which is not those bytes");
        }
    }

    /** Reads the fields of one whole packet, from just after its fixed header. */
    private static final class Packet {
        final byte[] b;
        final int type;
        int pos = 1;

        Packet(byte[] b) {
            this.b = b;
            this.type = (b[0] & 0xFF) >> 4;
            varInt();                                         // the remaining length
        }

        int u8() {
            return b[pos++] & 0xFF;
        }

        int u16() {
            return u8() << 8 | u8();
        }

        int varInt() {
            int value = 0;
            for (int shift = 0; ; shift += 7) {
                int x = u8();
                value |= (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return value;
                }
            }
        }

        void skip(int n) {
            pos += n;
        }

        byte[] string() {
            int length = u16();
            pos += length;
            return Arrays.copyOfRange(b, pos - length, pos);
        }

        void atEnd(String what) {
            if (pos != b.length) {
                throw new AssertionError(what + ": decoded fields end at " + pos + " of " + b.length + " bytes");
            }
        }
    }
}
