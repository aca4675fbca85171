package io.jemq.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.jemq.api.Placeholder.AT_ACL_CHECK;
import static io.jemq.api.Placeholder.AT_CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates, Redis argument lists, HTTP parameters and the escaping functions, with hostile values. */
class PlaceholdersTest {
    private static PlaceholderValues user(String username) {
        return PlaceholderValues.of(new ClientInfo("c1", username, new InetSocketAddress("10.0.0.7", 1), 4, "tcp"));
    }

    @Test
    void aTemplateKeepsItsLiteralsAndSlotsInOrder() {
        Template t = Placeholders.template("uid=%u,ou=%c,%u%%u%x%", AT_CONNECT);

        assertThat(t.literals()).containsExactly("uid=", ",ou=", ",", "%u%x%");
        assertThat(t.slots()).containsExactly(Placeholder.USERNAME, Placeholder.CLIENT_ID, Placeholder.USERNAME);
        assertThat(t.parameters(user("bob"))).containsExactly("bob", "c1", "bob");
        assertThat(t.render(user("bob"))).isEqualTo("uid=bob,ou=c1,bob%u%x%");
        assertThat(t.sole()).isEmpty();
        assertThat(Placeholders.template("%u", AT_CONNECT).sole()).contains(Placeholder.USERNAME);
        assertThat(Placeholders.template("no slots, 100%", AT_CONNECT).isConstant()).isTrue();
    }

    @Test
    void anAbsentValueRendersEmptyAndIsReportedUnfilled() {
        Template t = Placeholders.template("mqtt_user:%u", AT_CONNECT);

        assertThat(t.render(user(null))).isEqualTo("mqtt_user:");
        assertThat(t.unfilled(user(null))).containsExactly(Placeholder.USERNAME);
        assertThat(t.unfilled(user(""))).isEmpty();
        assertThat(t.parameters(user(null))).containsExactly((String) null);
    }

    @Test
    void redisArgumentsKeepEachPlaceholderInsideItsArgument() {
        CommandTemplate cmd = Placeholders.command("HMGET mqtt_user:%u password salt", AT_CONNECT);

        assertThat(cmd.arguments(user("alice"))).containsExactly("HMGET", "mqtt_user:alice", "password", "salt");
        assertThat(cmd.arguments(user("a b password"))).containsExactly("HMGET", "mqtt_user:a b password",
                "password", "salt");
        assertThat(cmd.arguments(user("x\r\nFLUSHALL\r\n"))).containsExactly("HMGET", "mqtt_user:x\r\nFLUSHALL\r\n",
                "password", "salt");
        assertThat(cmd.unfilled(user(null))).containsExactly(Placeholder.USERNAME);
    }

    @Test
    void redisFillsEveryOccurrenceAndSplitsOnAnyWhiteSpace() {
        CommandTemplate cmd = Placeholders.command("  HGETALL \t mqtt_acl:%u:%c:%u  ", AT_ACL_CHECK);

        assertThat(cmd.arguments(user("u"))).containsExactly("HGETALL", "mqtt_acl:u:c1:u");
        assertThat(cmd.templates()).hasSize(2);
    }

    @Test
    void httpParamsInEmqsFormGoOutUrlEncodedOrAsJson() {
        ParamsTemplate params = Placeholders.params("clientid=%c, username=%u ,password=%P,static=a b", AT_CONNECT);
        PlaceholderValues v = user("a&b=c").withPassword("p@ss word/ü".getBytes(StandardCharsets.UTF_8));

        assertThat(params.values(v)).containsExactly(Map.entry("clientid", "c1"), Map.entry("username", "a&b=c"),
                Map.entry("password", "p@ss word/ü"), Map.entry("static", "a b"));
        assertThat(params.form(v)).isEqualTo("clientid=c1&username=a%26b%3Dc&password=p%40ss%20word%2F%C3%BC"
                + "&static=a%20b");
        assertThat(params.json(v)).isEqualTo("{\"clientid\":\"c1\",\"username\":\"a&b=c\","
                + "\"password\":\"p@ss word/ü\",\"static\":\"a b\"}");
    }

    @Test
    void aFormEncodedHostileValueDecodesToItselfAndAddsNoParameter() {
        ParamsTemplate params = Placeholders.params(Map.of("username", "%u"), AT_CONNECT);
        String hostile = "a&b=c&password=x+y%20z;\n'\"#?/\u0000 用户🙂";

        String form = params.form(user(hostile));

        assertThat(form).startsWith("username=").doesNotContain("&", "+", " ", "\n");
        assertThat(URLDecoder.decode(form.substring("username=".length()), StandardCharsets.UTF_8))
                .isEqualTo(hostile);
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(Placeholders.jsonString("x\"}, \"is_superuser\": true, {\"a\\b\n\r\t\b\f\u0001\u2028"))
                .isEqualTo("\"x\\\"}, \\\"is_superuser\\\": true, {\\\"a\\\\b\\n\\r\\t\\b\\f\\u0001\\u2028\"");
        assertThat(Placeholders.jsonString("用户🙂")).isEqualTo("\"用户🙂\"");
        assertThat(Placeholders.jsonString("bad\uD800")).isEqualTo("\"bad\\uD800\"");
        assertThat(Placeholders.jsonString("")).isEqualTo("\"\"");
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("u", null);
        withNull.put("k\"", "v");
        assertThat(Placeholders.jsonObject(withNull)).isEqualTo("{\"u\":null,\"k\\\"\":\"v\"}");
    }

    @Test
    void anAbsentHttpValueIsEmpty() {
        assertThat(Placeholders.params("username=%u", AT_CONNECT).form(user(null))).isEqualTo("username=");
        assertThat(Placeholders.params("username=%u", AT_CONNECT).json(user(null))).isEqualTo("{\"username\":\"\"}");
    }

    @Test
    void urlEncodingKeepsOnlyUnreservedCharacters() {
        assertThat(Placeholders.urlEncode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(Placeholders.urlEncode(" +*!'()%&=?#/:;,@$")).isEqualTo(
                "%20%2B%2A%21%27%28%29%25%26%3D%3F%23%2F%3A%3B%2C%40%24");
        assertThat(Placeholders.urlEncode("é")).isEqualTo("%C3%A9");
        assertThat(Placeholders.formEncode(Map.of("a b", "c"))).isEqualTo("a%20b=c");
    }

    @Test
    void emqParamsThatAreNotPairsAreRefused() {
        assertThatThrownBy(() -> Placeholders.params("clientid=%c,username", AT_CONNECT))
                .hasMessage("name=value pairs separated by commas, such as clientid=%c,username=%u");
        assertThat(Placeholders.params("", AT_CONNECT).values(user("x"))).isEmpty();
        assertThatThrownBy(() -> Placeholders.params("topic=%t", AT_CONNECT)).hasMessageContaining("%t, the topic");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "alice              | alice",
        "a,ou=admins        | a\\,ou\\=admins",
        "`x+y;z<w>\"q\\`    | x\\+y\\;z\\<w\\>\\\"q\\\\",
        "`#lead`            | \\#lead",
        "`mid#`             | mid#",
        "` both `           | `\\ both\\ `",
        "`*)(uid=*`         | *)(uid\\=*",
        "用户               | 用户"})
    void dnValuesAreEscapedPerRfc4514(String value, String escaped) {
        assertThat(Placeholders.escapeDnValue(value)).isEqualTo(escaped);
    }

    @Test
    void dnControlCharactersBecomeHexPairs() {
        assertThat(Placeholders.escapeDnValue("a\u0000b\nc")).isEqualTo("a\\00b\\0Ac");
        assertThat(Placeholders.escapeDnValue("")).isEmpty();
    }

    @Test
    void aDnTemplateCannotBeWidenedByTheUsername() {
        Template dn = Placeholders.template("uid=%u,ou=People,dc=example,dc=com", AT_CONNECT);

        assertThat(dn.render(user("admin,ou=Admins"), Placeholders::escapeDnValue))
                .isEqualTo("uid=admin\\,ou\\=Admins,ou=People,dc=example,dc=com");
    }

    @Test
    void filterValuesAreEscapedPerRfc4515() {
        Template filter = Placeholders.template("(&(objectClass=person)(uid=%u))", AT_CONNECT);

        assertThat(filter.render(user("*)(uid=*"), Placeholders::escapeFilterValue))
                .isEqualTo("(&(objectClass=person)(uid=\\2a\\29\\28uid=\\2a))");
        assertThat(Placeholders.escapeFilterValue("a\\b\u0000")).isEqualTo("a\\5cb\\00");
        assertThat(Placeholders.escapeFilterValue("用户 ok")).isEqualTo("用户 ok");
    }

    @Test
    void ipAddressesAreWrittenAsOperatorsWriteThem() throws Exception {
        assertThat(ip("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(ip("::1")).isEqualTo("::1");
        assertThat(ip("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(ip("2001:db8:0:1:0:0:0:1")).isEqualTo("2001:db8:0:1::1");
        assertThat(ip("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");   // first of equal runs
        assertThat(ip("2001:db8:1:1:1:1:0:1")).isEqualTo("2001:db8:1:1:1:1:0:1"); // one zero group stays
        assertThat(ip("fe80::1%1")).isEqualTo("fe80::1");
        assertThat(ip("::")).isEqualTo("::");
        assertThat(ip("1::")).isEqualTo("1::");
        assertThat(ip("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(PlaceholderValues.ipAddress(null)).isNull();
        assertThat(PlaceholderValues.of(new ClientInfo("c", "u", null, 4, "tcp")).get(Placeholder.IP_ADDRESS))
                .isNull();
    }

    private static String ip(String text) throws Exception {
        return PlaceholderValues.ipAddress(new InetSocketAddress(InetAddress.getByName(text), 1));
    }

    @Test
    void theMountpointComesFromTheClient() {
        ClientInfo mounted = new ClientInfo("c1", "u", null, 5, "tcp", null, null, null, null, "dev/c1/", true, 60);

        assertThat(PlaceholderValues.of(mounted).get(Placeholder.MOUNTPOINT)).isEqualTo("dev/c1/");
        assertThat(PlaceholderValues.of(new ClientInfo("c1", "u", null, 5, "tcp")).get(Placeholder.MOUNTPOINT))
                .isNull();
    }

    @Test
    void valuesNeverShowThePassword() {
        PlaceholderValues v = user("u").withPassword("secret".getBytes(StandardCharsets.UTF_8));

        assertThat(v.toString()).contains("%u=u", "%P=******").doesNotContain("secret");
        assertThat(v.withPassword(null).get(Placeholder.PASSWORD)).isNull();
        assertThat(v.withMountpoint("").get(Placeholder.MOUNTPOINT)).isNull();
        assertThat(PlaceholderValues.none().get(Placeholder.CLIENT_ID)).isNull();
    }

    @Test
    void thePasswordIsReadAsUtf8() {
        byte[] notUtf8 = {(byte) 0xff, 'a'};
        assertThat(PlaceholderValues.none().withPassword(notUtf8).get(Placeholder.PASSWORD)).isEqualTo("\uFFFDa");
    }

    @Test
    void unknownLettersAreNoPlaceholders() {
        assertThat(Placeholder.of('u')).isEqualTo(Placeholder.USERNAME);
        assertThat(Placeholder.of('x')).isNull();
        assertThat(Placeholder.of('é')).isNull();
        assertThat(List.of(Placeholder.values())).extracting(Placeholder::token)
                .containsExactly("%u", "%c", "%a", "%P", "%t", "%A", "%m", "%C", "%d");
    }
}
