package io.jemq.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class MqttStringsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "ASCII                              | 61 2f 62          | true",
            "empty                              | ''                | true",
            "two-byte é                         | c3 a9             | true",
            "three-byte €                       | e2 82 ac          | true",
            "four-byte U+1F600                  | f0 9f 98 80       | true",
            "U+10FFFF, the last code point      | f4 8f bf bf       | true",
            "U+FFFF (a non-character: allowed)  | ef bf bf          | true",
            "U+0000 (MQTT-1.5.3-2)              | 61 00             | false",
            "overlong U+0000                    | c0 80             | false",
            "overlong two-byte                  | c1 bf             | false",
            "overlong three-byte                | e0 80 80          | false",
            "overlong four-byte                 | f0 80 80 80       | false",
            "surrogate U+D800                   | ed a0 80          | false",
            "surrogate U+DFFF                   | ed bf bf          | false",
            "above U+10FFFF                     | f4 90 80 80       | false",
            "F5 lead byte                       | f5 80 80 80       | false",
            "FF byte                            | ff fe             | false",
            "lone continuation byte             | 80                | false",
            "cut-short sequence                 | c3                | false",
            "cut-short sequence before ASCII    | e2 82 61          | false",
            "ill-formed after a good prefix     | 68 2f c0 80 2f 78 | false",
    })
    void acceptsWellFormedUtf8WithoutNul(String what, String hex, boolean wellFormed) {
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        // framed by other bytes: the check must stay within its field
        ByteBuf buf = Unpooled.buffer().writeByte(0xff).writeBytes(bytes).writeByte(0xff);
        assertThat(MqttStrings.isWellFormed(buf, 1, bytes.length)).as(what).isEqualTo(wellFormed);
    }
}
