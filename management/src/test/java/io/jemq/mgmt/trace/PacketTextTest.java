package io.jemq.mgmt.trace;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Packets from their bytes as EMQ's trace shows them, 5.0 properties skipped, a cut copy shown up to the cut. */
class PacketTextTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void publishesOfEachVersion() {
        // QoS 1, topic "a/b", packet id 7, payload "hi"
        assertThat(PacketText.describe(hex("32 09 0003 612f62 0007 6869"), 4, 256))
                .isEqualTo("PUBLISH(Q1, R0, D0, Topic=a/b, PacketId=7, Payload=hi)");
        // the same in 5.0 with two bytes of properties (payload format indicator)
        assertThat(PacketText.describe(hex("32 0c 0003 612f62 0007 02 0101 6869"), 5, 256))
                .isEqualTo("PUBLISH(Q1, R0, D0, Topic=a/b, PacketId=7, Payload=hi)");
        // retained QoS 0 with a binary payload
        assertThat(PacketText.describe(hex("31 06 0001 74 00ff10"), 4, 256))
                .isEqualTo("PUBLISH(Q0, R1, D0, Topic=t, Payload=hex:00ff10)");
    }

    @Test
    void aCopyCutShortShowsWhatItHas() {
        byte[] whole = new byte[5 + 1000];
        byte[] header = hex("30 ea07 0001 74");        // remaining length 1002: topic "t" and 999 payload bytes
        System.arraycopy(header, 0, whole, 0, header.length);
        Arrays.fill(whole, header.length, whole.length, (byte) 'x');
        byte[] copied = Arrays.copyOf(whole, 40);
        assertThat(PacketText.describe(copied, 4, 8))
                .isEqualTo("PUBLISH(Q0, R0, D0, Topic=t, Payload=xxxxxxxx...(999 bytes))");
        assertThat(PacketText.describe(hex("82 10 0001"), 4, 8)).isEqualTo("SUBSCRIBE(Q1, R0, D0, PacketId=1, "
                + "TopicTable=[]...)");
    }

    @Test
    void acknowledgementsAndControlPackets() {
        assertThat(PacketText.describe(hex("40 02 0005"), 4, 8)).isEqualTo("PUBACK(Q0, R0, D0, PacketId=5)");
        assertThat(PacketText.describe(hex("62 03 0005 92"), 5, 8))
                .isEqualTo("PUBREL(Q1, R0, D0, PacketId=5, ReasonCode=146)");
        assertThat(PacketText.describe(hex("20 02 01 00"), 4, 8))
                .isEqualTo("CONNACK(Q0, R0, D0, AckFlags=1, RetainCode=0)");
        assertThat(PacketText.describe(hex("90 04 0003 0180"), 4, 8))
                .isEqualTo("SUBACK(Q0, R0, D0, PacketId=3, QosTable=[1, 128])");
        assertThat(PacketText.describe(hex("a2 05 0004 0001 74"), 4, 8))
                .isEqualTo("UNSUBSCRIBE(Q1, R0, D0, PacketId=4, Topics=[t])");
        assertThat(PacketText.describe(hex("c0 00"), 4, 8)).isEqualTo("PINGREQ(Q0, R0, D0)");
        assertThat(PacketText.describe(hex("e0 00"), 4, 8)).isEqualTo("DISCONNECT(Q0, R0, D0)");
    }

    @Test
    void payloadsAreTextOnlyWhenTheyAreSafeToPrint() {
        byte[] utf8 = "héllo".getBytes(StandardCharsets.UTF_8);
        assertThat(Payloads.show(utf8, 0, utf8.length, 100)).isEqualTo("héllo");
        assertThat(Payloads.show(utf8, 0, utf8.length, 2)).isEqualTo("h...(6 bytes)");   // not cut inside é
        byte[] newline = "a\nb".getBytes(StandardCharsets.UTF_8);
        assertThat(Payloads.show(newline, 0, newline.length, 100)).isEqualTo("hex:610a62");
    }
}
