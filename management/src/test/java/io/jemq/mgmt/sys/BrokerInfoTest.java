package io.jemq.mgmt.sys;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** EMQ's uptime and datetime texts, exactly (emqttd_broker:uptime/2). */
class BrokerInfoTest {
    @Test
    void uptimeReadsAsEmqWritesIt() {
        assertThat(BrokerInfo.uptime(7)).isEqualTo("7 seconds");
        assertThat(BrokerInfo.uptime(60)).isEqualTo("1 minutes, 0 seconds");
        assertThat(BrokerInfo.uptime(5 * 60 + 7)).isEqualTo("5 minutes, 7 seconds");
        assertThat(BrokerInfo.uptime(3 * 3600 + 5 * 60 + 7)).isEqualTo("3 hours, 5 minutes, 7 seconds");
        assertThat(BrokerInfo.uptime(86400 + 2 * 3600 + 5 * 60 + 7)).isEqualTo("1 days,2 hours, 5 minutes, 7 seconds");
    }

    @Test
    void datetimeIsLocalTimeToTheSecond() {
        assertThat(BrokerInfo.datetime(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 999))).isEqualTo("2026-01-02 03:04:05");
    }
}
