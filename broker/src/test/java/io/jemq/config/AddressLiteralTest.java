package io.jemq.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading emq.conf never asks DNS. InetAddress.getByName parses only a dotted quad or a text that starts like an
 * IPv6 literal; it looks up anything else, also hex-and-dots text such as {@code cafe} or {@code 300.1.1.1} that the
 * access rule's and the listener address's patterns let through (found while setting up ConfFileFuzzTest, where
 * each such input was a DNS query).
 */
class AddressLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"cafe", "1.2.3.4.5", "300.1.1.1", "1.2.3", "10", ".:1", "..", "."})
    void anAccessRuleAddressThatIsNotALiteralIsRefusedWithoutALookup(String address) {
        assertThat(AccessRule.isLiteral(address)).isFalse();
        assertThat(AccessRule.parse("allow " + address)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, 10.0.0.1/32", "0.0.0.0/0, 0.0.0.0/0", "::1, 0:0:0:0:0:0:0:1/128",
            "2001:db8::/32, 2001:db8:0:0:0:0:0:0/32"})
    void literalsStillParse(String address, String rule) {
        assertThat(AccessRule.parse("deny " + address)).hasToString("deny " + rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"g:1:1883", "_x:1:1883", "[g::1]:1883"})
    void aListenerHostWithAColonMustBeAnIpv6Literal(String text) {
        assertThat(ListenerAddress.parse(text)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"::1:1883, ::1", "[::1]:1883, ::1", "fe80::1:1883, fe80::1", "localhost:1883, localhost"})
    void listenerAddressesStillParse(String text, String host) {
        assertThat(ListenerAddress.parse(text).host()).isEqualTo(host);
    }
}
