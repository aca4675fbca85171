package io.jemq.protocol;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.config.MqttSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeepAliveTest {
    private static MqttSettings mqtt(String serverKeepalive, String maxKeepalive) {
        return BrokerSettings.from(ConfFile.of(Map.of("mqtt.server_keepalive", serverKeepalive,
                "mqtt.max_keepalive", maxKeepalive))).mqtt();
    }

    @ParameterizedTest(name = "v5={0} asked={1} server_keepalive={2} max_keepalive={3}")
    @CsvSource({
            // level 5 | asked | server_keepalive | max_keepalive | enforced | told
            "true,  60, 0,  0,  60, -1",      // neither key: the client's own value
            "true,  0,  0,  0,  0,  -1",      // and none means none
            "true,  60, 0,  30, 30, 30",      // above the cap: capped and told
            "true,  0,  0,  30, 30, 30",      // none is above any cap
            "true,  10, 0,  30, 10, -1",      // below the cap: its own, nothing told
            "true,  30, 0,  30, 30, -1",      // at the cap: its own
            "true,  10, 20, 0,  20, 20",      // server_keepalive replaces, up or down
            "true,  60, 40, 30, 40, 40",      // and wins over the cap
            "false, 60, 0,  30, 30, -1",      // 3.1.1 above the cap: held to it, untold
            "false, 0,  0,  30, 30, -1",
            "false, 10, 0,  30, 10, -1",
            "false, 60, 20, 0,  60, -1",      // server_keepalive is for 5.0 clients only
            "false, 60, 20, 30, 30, -1",      // but the cap still holds a 3.1.1 client
    })
    void agreesOnTheKeepalive(boolean v5, int asked, String server, String max, int enforced, int told) {
        assertThat(KeepAlive.agree(v5, asked, mqtt(server, max))).isEqualTo(new KeepAlive(enforced, told));
    }
}
