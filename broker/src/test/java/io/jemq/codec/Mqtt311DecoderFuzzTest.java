package io.jemq.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes PacketFramer and Netty's MqttDecoder behind an MQTT 3.1.1 CONNECT; see {@link DecoderFuzzing} for the
 * properties checked and the input layout. The corpus, run as regression tests in every build, is in
 * {@code src/test/resources/io/jemq/codec/Mqtt311DecoderFuzzTestInputs/decode/}.
 */
class Mqtt311DecoderFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void decode(FuzzedDataProvider data) {
        DecoderFuzzing.run(DecoderFuzzing.CONNECT_311, data);
    }
}
