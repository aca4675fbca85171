package io.jemq.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicsTest {

    @ParameterizedTest(name = "name \"{0}\" (max levels {1}) valid: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            sport/tennis/player1      | 0 | true
            /                         | 0 | true
            /finance                  | 0 | true
            a//b                      | 0 | true
            "with space/ok"           | 0 | true
            $SYS/brokers              | 0 | true
            ""                        | 0 | false
            sport/+                   | 0 | false
            sport/#                   | 0 | false
            a+b                       | 0 | false
            a/b/c                     | 3 | true
            a/b/c/d                   | 3 | false
            a/b/c/d                   | 0 | true
            """)
    void topicNames(String topic, int maxLevels, boolean valid) {
        assertThat(Topics.isValidName(topic, maxLevels)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "filter \"{0}\" (max levels {1}) valid: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            #                         | 0 | true
            +                         | 0 | true
            sport/tennis/#            | 0 | true
            sport/+/player1           | 0 | true
            +/+                       | 0 | true
            /+                        | 0 | true
            +/tennis/#                | 0 | true
            a//b                      | 0 | true
            $SYS/#                    | 0 | true
            ""                        | 0 | false
            a#                        | 0 | false
            sport/tennis#             | 0 | false
            a/#/b                     | 0 | false
            sport/tennis/#/ranking    | 0 | false
            #/                        | 0 | false
            +a                        | 0 | false
            sport+                    | 0 | false
            a/b+/c                    | 0 | false
            ++                        | 0 | false
            a/+/#                     | 3 | true
            a/+/b/#                   | 3 | false
            """)
    void topicFilters(String filter, int maxLevels, boolean valid) {
        assertThat(Topics.isValidFilter(filter, maxLevels)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            sport/tennis/player1/#    | sport/tennis/player1                  | true
            sport/tennis/player1/#    | sport/tennis/player1/ranking          | true
            sport/tennis/player1/#    | sport/tennis/player1/score/wimbledon  | true
            sport/tennis/#            | sport/tennis                          | true
            sport/#                   | sport                                 | true
            sport/tennis/+            | sport/tennis/player1                  | true
            sport/tennis/+            | sport/tennis/player2                  | true
            sport/tennis/+            | sport/tennis/player1/ranking          | false
            sport/+                   | sport                                 | false
            sport/+                   | sport/                                | true
            +/+                       | /finance                              | true
            /+                        | /finance                              | true
            +                         | /finance                              | false
            #                         | /finance                              | true
            #                         | a/b/c                                 | true
            +                         | a                                     | true
            +/+/+                     | a/b                                   | false
            a/b                       | a/b                                   | true
            a/b                       | a/b/c                                 | false
            a/b/c                     | a/b                                   | false
            a/b                       | A/b                                   | false
            a//b                      | a//b                                  | true
            a/+/b                     | a//b                                  | true
            a/#                       | a                                     | true
            a/#                       | ab                                    | false
            a/+/#                     | a/x                                   | true
            +/#                       | a                                     | true
            /#                        | /                                     | true
            #                         | $SYS/monitor/Clients                  | false
            +/monitor/Clients         | $SYS/monitor/Clients                  | false
            $SYS/#                    | $SYS/monitor/Clients                  | true
            $SYS/monitor/+            | $SYS/monitor/Clients                  | true
            $SYS/#                    | $SYS                                  | true
            a/$x                      | a/$x                                  | true
            a/+                       | a/$x                                  | true
            $share/g/t                | $share/g/t                            | true
            """)
    void matching(String filter, String topic, boolean matches) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"$SYS/x, true", "$, true", "a/$SYS, false", "SYS, false"})
    void sysTopics(String topic, boolean sys) {
        assertThat(Topics.isSys(topic)).isEqualTo(sys);
    }

    @org.junit.jupiter.api.Test
    void nullCharAndLengthLimits() {
        assertThat(Topics.isValidName("a\u0000b", 0)).isFalse();
        assertThat(Topics.isValidFilter("a/\u0000", 0)).isFalse();
        assertThat(Topics.isValidName("x".repeat(65_535), 0)).isTrue();
        assertThat(Topics.isValidName("x".repeat(65_536), 0)).isFalse();
        // 3 bytes of UTF-8 each: the limit is in bytes, not characters
        assertThat(Topics.isValidName("\u20ac".repeat(21_845), 0)).isTrue();
        assertThat(Topics.isValidName("\u20ac".repeat(21_846), 0)).isFalse();
        assertThat(Topics.isValidFilter("\u20ac".repeat(21_846), 0)).isFalse();
        // a supplementary character is 4 bytes
        assertThat(Topics.isValidName("\uD83D\uDE00".repeat(16_383) + "xxx", 0)).isTrue();
        assertThat(Topics.isValidName("\uD83D\uDE00".repeat(16_384), 0)).isFalse();
    }
}
