package io.jemq.dashboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MQTT.js bundle the WebSocket page loads is the file npm served (dashboard/mqttjs.sh wrote its checksum when it
 * vendored it): nobody edited it by hand, and it is in the jar.
 */
class VendoredMqttJsTest {
    private static final String VENDOR = "io/jemq/dashboard/www/vendor/";

    @Test
    void theVendoredBundleIsTheOneWhoseChecksumWasRecorded() throws IOException, NoSuchAlgorithmException {
        byte[] bundle = resource("mqtt.esm.js");
        String recorded = new String(resource("mqtt.esm.js.sha256"), StandardCharsets.US_ASCII).split("\\s+")[0];
        String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
        assertThat(actual).isEqualTo(recorded);
        assertThat(new String(resource("LICENSE-mqtt.md"), StandardCharsets.UTF_8)).contains("MIT License");
        assertThat(new String(bundle, StandardCharsets.UTF_8)).contains("export default ");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = VendoredMqttJsTest.class.getClassLoader().getResourceAsStream(VENDOR + name)) {
            assertThat(in).as(VENDOR + name).isNotNull();
            return in.readAllBytes();
        }
    }
}
