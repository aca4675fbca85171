package io.jemq.config;

import io.jemq.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every value type, good and bad, and the one error shape: origin: key: expected …, got "…". */
class ValueTypesTest {
    private static ConfFile set(String value) {
        return ConfFile.of(Map.of("k", value));
    }

    private static String error(String expected, String value) {
        return "<settings>: k: expected " + expected + ", got \"" + value + "\"";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30s    | PT30S",
            "1m     | PT1M",
            "2h     | PT2H",
            "500ms  | PT0.5S",
            "1d     | PT24H",
            "1w     | PT168H",
            "1h30m  | PT1H30M",
            "2H     | PT2H",
            "45     | PT45S",
            "0      | PT0S",
    })
    void durations(String text, Duration expected) {
        assertThat(set(text).duration("k", "1s")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lots", "30x", "-5s", "1.5h", "s", "30 s", "5y", "1m30", "99999999999999999999s"})
    void badDurations(String text) {
        assertThatThrownBy(() -> set(text).duration("k", "1s"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(error("a duration such as 30s", text));
    }

    @Test
    void durationRanges() {
        assertThat(set("1ms").duration("k", "30s", Duration.ofMillis(1), null)).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> set("0").duration("k", "30s", Duration.ofMillis(1), null))
                .hasMessage(error("a duration of at least 1ms", "0"));
        assertThatThrownBy(() -> set("1d").duration("k", "0", Duration.ZERO, Duration.ofSeconds(65535)))
                .hasMessage(error("a duration up to 65535s", "1d"));
        assertThatThrownBy(() -> set("2h").duration("k", "0", Duration.ofMinutes(1), Duration.ofHours(1)))
                .hasMessage(error("a duration from 1m to 1h", "2h"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "64KB   | 65536",
            "8MB    | 8388608",
            "1GB    | 1073741824",
            "512B   | 512",
            "64kb   | 65536",
            "1000   | 1000",
            "0      | 0",
            "16 KB  | 16384",
    })
    void sizes(String text, int expected) {
        assertThat(set(text).bytes("k", "1KB")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"lots", "64K", "1.5MB", "-1", "KB", "64 kilobytes"})
    void badSizes(String text) {
        assertThatThrownBy(() -> set(text).bytes("k", "1KB")).hasMessage(error("a size such as 64KB", text));
    }

    @Test
    void sizeRanges() {
        assertThatThrownBy(() -> set("4GB").bytes("k", "1KB")).hasMessage(error("a size up to 2147483647B", "4GB"));
        assertThatThrownBy(() -> set("1GB").bytes("k", "1KB", 1, 256 * 1024 * 1024))
                .hasMessage(error("a size from 1B to 256MB", "1GB"));
        assertThatThrownBy(() -> set("0").bytes("k", "1KB", 1, 1024)).hasMessage(error("a size from 1B to 1KB", "0"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "on    | true", "off   | false", "true  | true", "false | false",
            "ON    | true", "Off   | false", "TRUE  | true",
    })
    void flags(String text, boolean expected) {
        assertThat(set(text).bool("k", !expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"yes", "1", "enabled", "o n"})
    void badFlags(String text) {
        assertThatThrownBy(() -> set(text).bool("k", true)).hasMessage(error("on, off, true or false", text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1024        | 1024",
            "0           | 0",
            "-3          | -3",
            "2147483647  | 2147483647",
    })
    void integers(String text, int expected) {
        assertThat(set(text).integer("k", 1)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ten", "1.5", "1KB", "0x10"})
    void badIntegers(String text) {
        assertThatThrownBy(() -> set(text).integer("k", 1)).hasMessage(error("an integer", text));
    }

    @Test
    void integerRanges() {
        assertThat(set("65535").integer("k", 1, 1, 65535)).isEqualTo(65535);
        assertThatThrownBy(() -> set("0").integer("k", 1, 1, 65535))
                .hasMessage(error("an integer from 1 to 65535", "0"));
        assertThatThrownBy(() -> set("-1").integer("k", 1, 0, Integer.MAX_VALUE))
                .hasMessage(error("an integer of at least 0", "-1"));
        assertThatThrownBy(() -> set("3000000000").integer("k", 1))
                .hasMessage(error("an integer", "3000000000"));
        assertThat(set("3000000000").longInteger("k", 1, 0, Long.MAX_VALUE)).isEqualTo(3_000_000_000L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0.75 | 0.75", "1 | 1.0", "2.5 | 2.5", ".5 | 0.5"})
    void decimals(String text, double expected) {
        assertThat(set(text).decimal("k", 0.1, 0, 10)).isEqualTo(expected);
    }

    @Test
    void badDecimals() {
        assertThatThrownBy(() -> set("three quarters").decimal("k", 0.75, 0, 10))
                .hasMessage(error("a number such as 0.75", "three quarters"));
        assertThatThrownBy(() -> set("NaN").decimal("k", 0.75, 0, 10))
                .hasMessage(error("a number such as 0.75", "NaN"));
        assertThatThrownBy(() -> set("11").decimal("k", 0.75, 0.5, 10))
                .hasMessage(error("a number from 0.5 to 10.0", "11"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"20% | 0.2", "60% | 0.6", "0% | 0.0", "100% | 1.0", "12.5% | 0.125"})
    void percentages(String text, double expected) {
        assertThat(set(text).percentage("k", "50%")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"20", "0.2", "101%", "-5%", "lots%"})
    void badPercentages(String text) {
        assertThatThrownBy(() -> set(text).percentage("k", "50%"))
                .hasMessage(error("a percentage from 0% to 100% such as 20%", text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "random      | RANDOM",
            "round_robin | ROUND_ROBIN",
            "Sticky      | STICKY",
            "HASH        | HASH",
    })
    void enums(String text, SharedStrategy expected) {
        assertThat(set(text).oneOf("k", SharedStrategy.class, SharedStrategy.RANDOM)).isEqualTo(expected);
    }

    @Test
    void badEnum() {
        assertThatThrownBy(() -> set("fastest").oneOf("k", SharedStrategy.class, SharedStrategy.RANDOM))
                .hasMessage(error("one of random, round_robin, sticky, hash", "fastest"));
    }

    @Test
    void anErrorNamesTheFileAndLineOfTheBadValue(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emq.conf");
        Files.writeString(file, "## limits\n\nmqtt.max_packet_size = lots\n");

        assertThatThrownBy(() -> ConfFile.load(file).bytes("mqtt.max_packet_size", "64KB"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: mqtt.max_packet_size: expected a size such as 64KB, got \"lots\"");
    }

    @Test
    void anErrorAboutASetValueNamesSet(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("emq.conf");
        Files.writeString(file, "mqtt.max_packet_size = 64KB\n");
        ConfFile conf = ConfFile.load(file).with("mqtt.max_packet_size", "lots");

        assertThatThrownBy(() -> conf.bytes("mqtt.max_packet_size", "64KB"))
                .hasMessage("--set: mqtt.max_packet_size: expected a size such as 64KB, got \"lots\"");
    }

    @Test
    void aCustomCheckUsesTheSameShape() {
        assertThat(set("7").parsed("k", 0, "a single digit", s -> s.matches("\\d") ? Integer.parseInt(s) : null))
                .isEqualTo(7);
        assertThatThrownBy(() -> set("x").parsed("k", 0, "a single digit", s -> s.matches("\\d") ? 1 : null))
                .hasMessage(error("a single digit", "x"));
    }
}
