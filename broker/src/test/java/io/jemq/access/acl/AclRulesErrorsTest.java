package io.jemq.access.acl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Broken acl.conf input: always an AclSyntaxException that names a line and column, never anything else. */
class AclRulesErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {allow, all}                                        | 1:13: expected a full stop
            {allow, all}.\\n{deny, all, pubsub}.                | 2:1: expected a rule
            {allow, everyone}.                                  | 1:9: expected all in a two-element rule
            {permit, all}.                                      | 1:2: expected allow or deny
            {allow, {user, dashboard}, subscribe, ["a"]}.       | 1:16: expected a user name in double quotes
            {allow, {ipaddr, "10.0.0.0/33"}, pubsub, ["a"]}.    | 1:18: expected a prefix length from 0 to 32
            {allow, {ipaddr, "example.com"}, pubsub, ["a"]}.    | 1:18: expected an IP address
            {allow, {ipaddr, "300.1.1.1"}, pubsub, ["a"]}.      | 1:18: expected an IP address
            {allow, {group, "g"}, pubsub, ["a"]}.               | 1:9: expected all, {user
            {allow, all, read, ["a"]}.                          | 1:14: expected subscribe, publish or pubsub
            {allow, all, pubsub, "a"}.                          | 1:22: expected a list of topics
            {allow, all, pubsub, ["a/#/b"]}.                    | 1:23: not a valid topic filter
            {allow, all, pubsub, [{eq, a}]}.                    | 1:28: expected a topic filter in double quotes
            {allow, all, pubsub, [42]}.                         | 1:23: expected a topic filter
            {allow, {'and', {user, "a"}}, pubsub, ["a"]}.       | 1:17: expected a list [...] of who terms
            {allow, all, pubsub, ["a"}.                         | 1:26: expected ',' or ']'
            {allow, all, pubsub, ["a]}.                         | 1:23: string not closed
            {allow, all, pubsub, ['a]}.                         | 1:23: quoted atom not closed
            {allow, All}.                                       | 1:9: unexpected variable All
            {allow, all} ;                                      | 1:14: unexpected character ';'
            .                                                   | 1:1: expected a term
            {allow, all, pubsub, [<<"a">>]}.                    | 1:23: unexpected character '<'
            """)
    void namesLineAndColumn(String text, String expected) {
        String acl = text.replace("\\n", "\n");
        assertThatThrownBy(() -> AclRules.parse(acl)).isInstanceOf(AclSyntaxException.class)
                .hasMessageStartingWith(expected);
    }

    @Test
    void commentsAndBlankLinesCountForLines() {
        AclSyntaxException e = catchThrowableOfType(AclSyntaxException.class, () -> AclRules.parse(
                "%% a comment\n\n   {allow, all}. % trailing\n  {deny, nobody}.\n"));
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(10);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "{allow, " + "{'and', [".repeat(10_000);
        AclSyntaxException e = catchThrowableOfType(AclSyntaxException.class, () -> AclRules.parse(deep));
        assertThat(e.getMessage()).contains("nested more than");
    }

    /** Property: random and mutated input never crashes the parser; every failure names a line within the input. */
    @Test
    void randomInputOnlyEverFailsWithAPosition() {
        String valid = """
                {allow, {user, "dashboard"}, subscribe, ["$SYS/#"]}.
                {allow, {'or', [{ipaddr, "127.0.0.1"}, {client, "c"}]}, pubsub, ["$SYS/#", "#", {eq, "a/+"}]}.
                {deny, all, subscribe, ["$SYS/#", {eq, "#"}]}. % comment
                {allow, all}.
                """;
        String alphabet = "{}[],.'\"%\\ \n\tallowdenysubscribepubsub/#+$SYS0123456789-_@AZ<>;:éü\u0000";
        Random random = new Random(4242);
        for (int i = 0; i < 20_000; i++) {
            String input = switch (i % 3) {
                case 0 -> mutate(valid, random, alphabet);
                case 1 -> valid.substring(0, random.nextInt(valid.length() + 1));
                default -> randomText(random, alphabet, random.nextInt(80));
            };
            long lines = input.chars().filter(c -> c == '\n').count() + 1;
            try {
                AclRules.parse(input);
            } catch (AclSyntaxException e) {
                assertThat(e.line()).as("line of the error in %s", input).isBetween(1, (int) lines);
                assertThat(e.column()).isPositive();
                assertThat(e.getMessage()).startsWith(e.line() + ":" + e.column() + ": ");
            }
        }
    }

    private static String mutate(String s, Random random, String alphabet) {
        StringBuilder sb = new StringBuilder(s);
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
            int at = random.nextInt(sb.length() + 1);
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
