package io.jemq.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import static io.jemq.api.Placeholder.AT_ACL_CHECK;
import static io.jemq.api.Placeholder.AT_CONNECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SQL queries: placeholders become bound parameters, whatever the values. */
class SqlTemplateTest {
    private static final ClientInfo ALICE = new ClientInfo("c1", "alice", new InetSocketAddress("10.0.0.7", 5000), 4,
            "tcp.external");

    @Test
    void theSeedsAuthQueryBindsTheUsername() {
        SqlTemplate q = Placeholders.sql("select password from mqtt_user where username = '%u' limit 1", AT_CONNECT);

        assertThat(q.sql()).isEqualTo("select password from mqtt_user where username = ? limit 1");
        assertThat(q.slots()).containsExactly(Placeholder.USERNAME);
        assertThat(q.parameters(PlaceholderValues.of(ALICE))).containsExactly("alice");
    }

    @Test
    void theSeedsAclQueryBindsEachPlaceholderInOrderAndKeepsTheLiteral() {
        SqlTemplate q = Placeholders.sql("select allow, ipaddr, username, clientid, access, topic from mqtt_acl where "
                + "ipaddr = '%a' or username = '%u' or username = '$all' or clientid = '%c'", AT_ACL_CHECK);

        assertThat(q.sql()).endsWith("where ipaddr = ? or username = ? or username = '$all' or clientid = ?");
        assertThat(q.parameters(PlaceholderValues.of(ALICE))).containsExactly("10.0.0.7", "alice", "c1");
    }

    @Test
    void aBarePlaceholderAndADoubleQuotedOneAreBoundToo() {
        SqlTemplate q = Placeholders.sql("select 1 from t where a = %u and b = \"%c\" and c=%a", AT_CONNECT);

        assertThat(q.sql()).isEqualTo("select 1 from t where a = ? and b = ? and c=?");
        assertThat(q.slots()).containsExactly(Placeholder.USERNAME, Placeholder.CLIENT_ID, Placeholder.IP_ADDRESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x' or '1'='1", "'; drop table mqtt_user; --", "a\\' or 1=1 #", "\"", "%u", "?",
            "line\nbreak", "ünïcødé 用户 🙂", ""})
    void aHostileUsernameIsOnlyAParameter(String username) {
        SqlTemplate q = Placeholders.sql("select password from mqtt_user where username = '%u' limit 1", AT_CONNECT);
        ClientInfo client = new ClientInfo("c", username, null, 4, "tcp");

        assertThat(q.sql()).isEqualTo("select password from mqtt_user where username = ? limit 1");
        assertThat(q.parameters(PlaceholderValues.of(client))).containsExactly(username);
    }

    @Test
    void anAbsentUsernameIsBoundAsNullAndReportedUnfilled() {
        SqlTemplate q = Placeholders.sql("select password from mqtt_user where username = '%u' and c = '%c'",
                AT_CONNECT);
        PlaceholderValues values = PlaceholderValues.of(new ClientInfo("c", null, null, 4, "tcp"));

        assertThat(q.parameters(values)).isEqualTo(Arrays.asList(null, "c"));
        assertThat(q.unfilled(values)).containsExactly(Placeholder.USERNAME);
    }

    @Test
    void aPercentThatIsNoPlaceholderStaysAndADoubledOneIsOne() {
        SqlTemplate q = Placeholders.sql("select 1 from t where topic like 'a/%' and x like '%%u' and u = '%u' "
                + "and p = 5 %% 3 and q like '50%%'", AT_CONNECT);

        assertThat(q.sql()).isEqualTo("select 1 from t where topic like 'a/%' and x like '%u' and u = ? "
                + "and p = 5 % 3 and q like '50%'");
        assertThat(q.slots()).containsExactly(Placeholder.USERNAME);
    }

    @Test
    void doubledQuotesInsideAStringAreText() {
        SqlTemplate q = Placeholders.sql("select 'it''s' as a, \"say \"\"hi\"\"\" as b from t where u = '%u'",
                AT_CONNECT);

        assertThat(q.sql()).isEqualTo("select 'it''s' as a, \"say \"\"hi\"\"\" as b from t where u = ?");
    }

    @Test
    void commentsAreCopiedAsTheyAre() {
        SqlTemplate q = Placeholders.sql("select 1 -- user's %u ?\nfrom t /* it's %c ? */ where u = '%u'",
                AT_CONNECT);

        assertThat(q.sql()).isEqualTo("select 1 -- user's %u ?\nfrom t /* it's %c ? */ where u = ?");
        assertThat(q.slots()).containsExactly(Placeholder.USERNAME);
    }

    @Test
    void aPlaceholderInsideALongerStringIsRefused() {
        assertThatThrownBy(() -> Placeholders.sql("select 1 from t where k = 'user:%u'", AT_CONNECT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a placeholder alone between quotes, as in '%u'")
                .hasMessageContaining("'user:%u'");
    }

    @Test
    void aPlaceholderInAnIdentifierIsRefused() {
        assertThatThrownBy(() -> Placeholders.sql("select `%u` from t", AT_CONNECT))
                .hasMessageContaining("not in an identifier");
    }

    @Test
    void aQuestionMarkOutsideStringsIsRefusedAndInsideOneIsText() {
        assertThatThrownBy(() -> Placeholders.sql("select 1 from t where u = ?", AT_CONNECT))
                .hasMessageContaining("no ? outside quotes");
        assertThat(Placeholders.sql("select 1 from t where u = '?' and v = '%u'", AT_CONNECT).sql())
                .isEqualTo("select 1 from t where u = '?' and v = ?");
    }

    @Test
    void anUnterminatedStringIsRefused() {
        assertThatThrownBy(() -> Placeholders.sql("select 1 from t where u = '%u", AT_CONNECT))
                .hasMessageContaining("a closing ' for the one at character 27");
    }

    @Test
    void aPlaceholderTheRequestCannotFillIsRefusedAtLoad() {
        assertThatThrownBy(() -> Placeholders.sql("select 1 from t where topic = '%t'", AT_CONNECT))
                .hasMessage("placeholders among %u %c %a %P %m %C %d (%t, the topic, is not known here)");
        assertThatThrownBy(() -> Placeholders.sql("select 1 from t where p = %P", AT_ACL_CHECK))
                .hasMessageContaining("%P, the password, is not known here");
    }

    @Test
    void everyPlaceholderFillsFromItsSource() {
        SqlTemplate q = Placeholders.sql("select %u,%c,%a,%P,%m,%C,%d", AT_CONNECT);
        ClientInfo tls = new ClientInfo("c1", "u1", new InetSocketAddress("::1", 1), 5, "ssl", "device-7",
                "CN=device-7,O=Acme", null, null);

        List<String> p = q.parameters(PlaceholderValues.of(tls).withPassword("pw".getBytes())
                .withMountpoint("dev/c1/"));

        assertThat(p).containsExactly("u1", "c1", "::1", "pw", "dev/c1/", "device-7", "CN=device-7,O=Acme");
        SqlTemplate acl = Placeholders.sql("select %t, %A", AT_ACL_CHECK);
        assertThat(acl.parameters(PlaceholderValues.of(ALICE).withCheck(Access.SUBSCRIBE, "a/+")))
                .containsExactly("a/+", "1");
        assertThat(acl.parameters(PlaceholderValues.of(ALICE).withCheck(Access.PUBLISH, "a/b")))
                .containsExactly("a/b", "2");
    }

    @Test
    void emptyOrBlankQueriesAreRefused() {
        assertThatThrownBy(() -> Placeholders.sql(" ", AT_CONNECT)).hasMessage("an SQL query");
    }
}
