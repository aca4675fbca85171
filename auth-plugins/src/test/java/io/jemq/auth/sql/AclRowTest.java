package io.jemq.auth.sql;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;
import io.jemq.api.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** One mqtt_acl row against one check, without a server: EMQ's row rules and the topic rules acl.conf has too. */
class AclRowTest {
    private static final TestDialect MYSQL = new TestDialect(false);
    private static final TestDialect PGSQL = new TestDialect(true);

    /** The two dialects' one difference that matters here: whether '' is an empty column. */
    private record TestDialect(boolean onlyNullIsEmpty) implements SqlDialect {
        @Override
        public String product() {
            return "test";
        }

        @Override
        public int defaultPort() {
            return 1;
        }

        @Override
        public String driverClassName() {
            return "none";
        }

        @Override
        public String jdbcUrl(SqlSettings settings) {
            return "none";
        }

        @Override
        public Properties driverProperties(Settings conf, SqlSettings settings) {
            return new Properties();
        }

        @Override
        public boolean isSuperuser(Object value) {
            return false;
        }

        @Override
        public boolean isEmpty(String whoColumn) {
            return whoColumn == null || (!onlyNullIsEmpty && whoColumn.isEmpty());
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} | {5} {6} {7} | {8} {9}: {10}")
    @CsvSource(nullValues = "NULL", value = {
        // ipaddr,      username,  clientid, access, topic,           user,   client, address,      what, topic, matches
        "NULL,         $all,   NULL,  3,  #,          u,   c,    10.0.0.1,  pub,  a/b,       true",
        "NULL,         $all,   NULL,  3,  #,          u,   c,    10.0.0.1,  pub,  $SYS/x,    false",
        "NULL,         $all,   NULL,  1,  $SYS/#,     u,   c,    10.0.0.1,  sub,  $SYS/#,    true",
        "NULL,         $all,   NULL,  1,  eq #,       u,   c,    10.0.0.1,  sub,  #,         true",
        "NULL,         $all,   NULL,  1,  eq #,       u,   c,    10.0.0.1,  sub,  a/#,       false",
        "NULL,         $all,   NULL,  1,  a/#,        u,   c,    10.0.0.1,  sub,  a/+,       true",
        "NULL,         $all,   NULL,  1,  a/b,        u,   c,    10.0.0.1,  sub,  a/+,       false",
        "NULL,         $all,   NULL,  1,  a/#,        u,   c,    10.0.0.1,  pub,  a/b,       false",
        "NULL,         $all,   NULL,  2,  a/#,        u,   c,    10.0.0.1,  pub,  a,         true",
        "NULL,         u,      NULL,  3,  home/%u/#,  u,   c,    10.0.0.1,  pub,  home/u/x,  true",
        "NULL,         u,      NULL,  3,  home/%u/#,  u,   c,    10.0.0.1,  pub,  home/v/x,  false",
        "NULL,         NULL,   c,     3,  dev/%c,     u,   c,    10.0.0.1,  pub,  dev/c,     true",
        "NULL,         NULL,   c,     3,  dev/%c,     u,   d,    10.0.0.1,  pub,  dev/c,     false",
        "NULL,         NULL,   '#',   3,  dev/%c/x,   u,   '#',  10.0.0.1,  pub,  dev/#/x,   false",
        "NULL,         NULL,   NULL,  3,  #,          u,   c,    10.0.0.1,  pub,  a,         false",
        "10.0.0.0/8,   NULL,   NULL,  3,  #,          u,   c,    10.1.2.3,  pub,  a,         true",
        "10.0.0.0/8,   NULL,   NULL,  3,  #,          u,   c,    11.1.2.3,  pub,  a,         false",
        "10.0.0.0/8,   u,      NULL,  3,  #,          v,   c,    10.1.2.3,  pub,  a,         false",
        "10.1.2.3,     NULL,   NULL,  3,  #,          u,   c,    10.1.2.3,  pub,  a,         true",
        "fd00::/8,     NULL,   NULL,  3,  #,          u,   c,    fd00::1,   pub,  a,         true",
        "fd00::/8,     NULL,   NULL,  3,  #,          u,   c,    10.1.2.3,  pub,  a,         false",
        "db.example,   NULL,   NULL,  3,  #,          u,   c,    10.1.2.3,  pub,  a,         false",
        "NULL,         u,      NULL,  7,  #,          u,   c,    10.1.2.3,  pub,  a,         false",
    })
    void aRowMatchesAsEmqReadsIt(String ipaddr, String username, String clientId, int access, String topic,
                                 String user, String client, String address, String what, String checked,
                                 boolean matches) {
        AclRow row = new AclRow(1, ipaddr, username, clientId, access, topic);
        ClientInfo info = new ClientInfo(client, user, new InetSocketAddress(address, 1883), 4, "tcp");
        Access a = what.equals("pub") ? Access.PUBLISH : Access.SUBSCRIBE;
        assertThat(row.covers(a) && row.matches(info, checked, MYSQL)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({"'', true", "'',false"})
    void anEmptyUsernameIsEmptyInMysqlOnly(String empty, boolean pgsql) {
        AclRow row = new AclRow(0, null, empty, "c", 3, "#");
        ClientInfo info = new ClientInfo("c", "someone", new InetSocketAddress("10.0.0.1", 1883), 4, "tcp");
        // MySQL: username '' is no condition, the client id decides; PostgreSQL: the username must be ''
        assertThat(row.matches(info, "a", pgsql ? PGSQL : MYSQL)).isEqualTo(!pgsql);
    }
}
