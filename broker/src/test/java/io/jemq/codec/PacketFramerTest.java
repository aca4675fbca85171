package io.jemq.codec;

import io.jemq.limits.MemoryBudgets;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The framer in front of Netty's decoder, fed literal bytes after a CONNECT of the given version. */
class PacketFramerTest {
    private static final String CONNECT_311 = "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 61";
    private static final String CONNECT_5 = "10 0e 00 04 4d 51 54 54 05 02 00 3c 00 00 01 61";
    private static final String PINGREQ = "c0 00";

    private final Counters metrics = new Counters();
    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new PacketFramer(1024, metrics, MemoryBudgets.unlimited().reads()),
                new MqttDecoder(1024), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
    }

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.ofDelimiter(" ").parseHex(hex.trim()));
    }

    private static List<MqttMessageType> types(EmbeddedChannel ch) {
        List<MqttMessageType> types = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            MqttMessage mm = (MqttMessage) m;
            assertThat(mm.decoderResult().isSuccess()).as("decoded " + mm).isTrue();
            types.add(mm.fixedHeader().messageType());
            io.netty.util.ReferenceCountUtil.release(mm);
        }
        return types;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "topic length beyond the packet                | " + CONNECT_311 + " | 30 0a 7f ff 61 62 63 64 65 66 67 68",
            "topic of ill-formed UTF-8 (MQTT-1.5.3-1)      | " + CONNECT_311 + " | 30 07 00 04 ff fe c3 28 78",
            "QoS 1 topic with an overlong U+0000           | " + CONNECT_311
                    + " | 32 0b 00 06 68 2f c0 80 2f 78 00 07 70",
            "SUBSCRIBE filter length cut short             | " + CONNECT_311 + " | 82 03 00 01 00",
            "PUBLISH without room for a topic length       | " + CONNECT_311 + " | 30 01 00",
            "PUBLISH topic length 16 in 3 bytes            | " + CONNECT_311 + " | 30 05 00 10 61 62 63",
            "UNSUBSCRIBE filter length 9 in 0 bytes        | " + CONNECT_311 + " | a2 04 00 01 00 09",
            "SUBSCRIBE filter with a surrogate             | " + CONNECT_311 + " | 82 08 00 01 00 03 ed a0 80 00",
            "PUBACK of 3 bytes in 3.1.1                    | " + CONNECT_311 + " | 40 03 00 01 00",
            "PINGREQ with a body                           | " + CONNECT_311 + " | c0 01 00",
            "CONNACK of one byte (fuzzing)                 | " + CONNECT_311 + " | 20 01 00",
            "PINGRESP with a body                          | " + CONNECT_311 + " | d0 01 00",
            "5.0 CONNACK without its properties            | " + CONNECT_5 + " | 20 02 00 00",
            "5.0 property length beyond the packet         | " + CONNECT_5 + " | 30 06 00 01 61 09 01 02",
            "5.0 user property key of ill-formed UTF-8     | " + CONNECT_5
                    + " | 30 0b 00 01 61 07 26 00 01 ff 00 01 76",
            "5.0 content type with U+0000                  | " + CONNECT_5 + " | 30 08 00 01 61 04 03 00 01 00",
            "5.0 unknown property identifier               | " + CONNECT_5 + " | 30 06 00 01 61 02 7f 00",
            "5.0 properties length 82 00, not shortest     | | 10 10 00 04 4d 51 54 54 05 00 00 00 82 00 01 01 00 00",
            "5.0 PUBLISH properties length 80 00 (fuzzing)  | " + CONNECT_5 + " | 30 06 00 01 61 80 00 00",
            "CONNECT client id of ill-formed UTF-8         | | 10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 ff",
            "CONNECT with bytes after its last field       | | 10 0e 00 04 4d 51 54 54 04 02 00 3c 00 01 61 00",
            "CONNECT will topic with a surrogate           | | 10 15 00 04 4d 51 54 54 04 06 00 3c 00 01 61 00 03"
                    + " ed a0 80 00 00",
            "CONNECT user name of ill-formed UTF-8         | | 10 10 00 04 4d 51 54 54 04 82 00 3c 00 01 61 00 01 c0",
    })
    void refusesTheBadPacketAndSwallowsNothingBehindIt(String what, String connect, String bad) {
        EmbeddedChannel ch = channel();
        if (connect != null) {
            ch.writeInbound(hex(connect));
            assertThat(types(ch)).containsExactly(MqttMessageType.CONNECT);
        }
        ch.writeInbound(Unpooled.wrappedBuffer(hex(bad), hex(PINGREQ)));

        assertThat(types(ch)).as(what + ": nothing decoded, not even the PINGREQ behind it").isEmpty();
        assertThat(events).as(what).singleElement().isInstanceOf(PacketFramer.Malformed.class);
        assertThat(metrics.get(Counter.PACKETS_MALFORMED)).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void passesWellFormedPacketsWholeAndInOrderHoweverTheyArrive() {
        EmbeddedChannel ch = channel();
        byte[] stream = HexFormat.ofDelimiter(" ").parseHex(CONNECT_5
                + " 30 12 00 03 61 2f 62 0a 26 00 01 6b 00 01 76 23 00 01 68 69"  // user property + alias, "hi"
                + " 82 09 00 01 00 00 03 61 2f 23 01"                              // SUBSCRIBE a/# QoS 1
                + " " + PINGREQ);
        for (byte b : stream) {                                                  // one byte at a time
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
        }
        List<Object> decoded = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            decoded.add(m);
        }
        assertThat(decoded).extracting(o -> ((MqttMessage) o).fixedHeader().messageType()).containsExactly(
                MqttMessageType.CONNECT, MqttMessageType.PUBLISH, MqttMessageType.SUBSCRIBE, MqttMessageType.PINGREQ);
        MqttPublishMessage publish = (MqttPublishMessage) decoded.get(1);
        assertThat(publish.variableHeader().topicName()).isEqualTo("a/b");
        assertThat(publish.payload().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(events).isEmpty();
        decoded.forEach(io.netty.util.ReferenceCountUtil::release);
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ill-formed topic        | 30 07 00 04 ff fe c3 28 78",
            "too large               | 30 80 80 80 05",
            "five-byte length        | 30 ff ff ff ff 7f",
    })
    void passesOnThePacketsBeforeABadOneBeforeRefusingIt(String what, String bad) {
        // found by DecoderFuzzTest: the refusal event overtook the packets cut in the same read, and the
        // connection, closing on it, dropped them
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFramer(1024, metrics, MemoryBudgets.unlimited().reads()),
                new MqttDecoder(1024), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        seen.add(((MqttMessage) msg).fixedHeader().messageType());
                        io.netty.util.ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        seen.add(evt instanceof PacketFramer.Malformed ? "malformed" : evt);
                    }
                });
        ch.writeInbound(Unpooled.wrappedBuffer(hex(CONNECT_311), hex("30 05 00 01 61 68 69"), hex(PINGREQ),
                hex(bad), hex(PINGREQ)));
        assertThat(seen).as(what).containsExactly(MqttMessageType.CONNECT, MqttMessageType.PUBLISH,
                MqttMessageType.PINGREQ, bad.startsWith("30 80") ? PacketFramer.TOO_LARGE : "malformed");
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesAnOversizedPacketFromItsFixedHeader() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex(CONNECT_311));
        types(ch);
        ch.writeInbound(hex("30 80 80 80 05"));                                 // 10 MB announced, no body yet
        assertThat(events).containsExactly(PacketFramer.TOO_LARGE);
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesARemainingLengthOfFiveBytes() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(hex(CONNECT_311));
        types(ch);
        ch.writeInbound(hex("30 ff ff ff ff 7f"));
        assertThat(events).singleElement().isInstanceOf(PacketFramer.Malformed.class);
        ch.finishAndReleaseAll();
    }
}
