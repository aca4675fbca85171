package io.jemq.access.acl;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.stream.Stream;

import static io.jemq.api.Access.PUBLISH;
import static io.jemq.api.Access.SUBSCRIBE;
import static io.jemq.api.AclResult.ALLOW;
import static io.jemq.api.AclResult.DENY;
import static io.jemq.api.AclResult.IGNORE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Rule × client × topic → decision, for every acl.conf construct. */
class AclRulesTableTest {
    /** EMQ's shipped acl.conf (2.3.11), plus its 2.0 last line. */
    private static final String EMQ_DEFAULT = """
            %% Allow 'dashboard' to subscribe '$SYS/#'
            {allow, {user, "dashboard"}, subscribe, ["$SYS/#"]}.
            %% Allow clients from localhost to subscribe any topics
            {allow, {ipaddr, "127.0.0.1"}, pubsub, ["$SYS/#", "#"]}.
            %% Deny clients to subscribe '$SYS#' and '#'
            {deny, all, subscribe, ["$SYS/#", {eq, "#"}]}.
            {allow, all}.
            """;
    private static final String PLACEHOLDERS = """
            {allow, all, pubsub, ["home/%u/#", "dev/%c/+", "x/%u%c", "mix/%u/%c"]}.
            {deny, all}.
            """;
    private static final String WHO = """
            {allow, {'and', [{user, "alice"}, {ipaddr, "10.0.0.0/8"}]}, publish, ["and/#"]}.
            {allow, {'or', [{user, "bob"}, {client, "c-7"}]}, publish, ["or/#"]}.
            {allow, {ipaddr, "2001:db8::/32"}, subscribe, ["v6/#"]}.
            {allow, {ipaddr, "192.168.1.0/24"}, subscribe, ["lan/+"]}.
            {allow, {client, all}, subscribe, ["open/#"]}.
            {deny, {user, all}, subscribe, ["closed/#"]}.
            {allow, {'and', []}, publish, ["empty-and"]}.
            {allow, {'or', []}, publish, ["empty-or"]}.
            {deny, {user, "mallory"}, pubsub, ["#"]}.
            {allow, {'or', [{'and', [{client, "n1"}, {user, "u1"}]}, {ipaddr, "::1"}]}, pubsub, ["nested"]}.
            """;
    private static final String ORDER = """
            {deny, {user, "u"}, publish, ["a/b"]}.
            {allow, all, publish, ["a/#"]}.
            {allow, all, subscribe, ["s/#"]}.
            {deny, all, subscribe, ["s/+"]}.
            {allow, all, subscribe, [{eq, "e/+"}]}.
            {deny, all, publish, ["#"]}.
            """;

    static ClientInfo client(String user, String id, String ip) {
        return new ClientInfo(id, user, new InetSocketAddress(ip, 50000), 4, "tcp.external");
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // EMQ's default file
                row(EMQ_DEFAULT, "dashboard", "d", "10.1.1.1", SUBSCRIBE, "$SYS/#", ALLOW),
                row(EMQ_DEFAULT, "dashboard", "d", "10.1.1.1", SUBSCRIBE, "$SYS/brokers/+/clients/#", ALLOW),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", SUBSCRIBE, "$SYS/#", DENY),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", SUBSCRIBE, "$SYS/brokers", DENY),
                row(EMQ_DEFAULT, "other", "o", "127.0.0.1", SUBSCRIBE, "$SYS/#", ALLOW),
                row(EMQ_DEFAULT, "other", "o", "127.0.0.1", SUBSCRIBE, "#", ALLOW),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", SUBSCRIBE, "#", DENY),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", SUBSCRIBE, "a/#", ALLOW),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", SUBSCRIBE, "+/#", ALLOW),
                row(EMQ_DEFAULT, "other", "o", "10.1.1.1", PUBLISH, "$SYS/x", ALLOW),
                row(EMQ_DEFAULT, null, "anon", "10.1.1.1", PUBLISH, "t", ALLOW),
                // $-topics: rule "#" does not grant $SYS (REFERENCE 4)
                row("{allow, all, subscribe, [\"#\"]}.", "u", "c", "10.0.0.1", SUBSCRIBE, "$SYS/brokers", IGNORE),
                row("{allow, all, publish, [\"+/x\"]}.", "u", "c", "10.0.0.1", PUBLISH, "$SYS/x", IGNORE),
                row("{allow, all, publish, [\"$SYS/#\"]}.", "u", "c", "10.0.0.1", PUBLISH, "$SYS/x", ALLOW),
                // %u and %c as whole levels
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "home/alice/kitchen", ALLOW),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "home/bob/kitchen", DENY),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", SUBSCRIBE, "home/alice/#", ALLOW),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "dev/c1/temp", ALLOW),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "dev/c2/temp", DENY),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "x/alicec1", DENY),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "x/%u%c", ALLOW),
                row(PLACEHOLDERS, "alice", "c1", "10.0.0.1", PUBLISH, "mix/alice/c1", ALLOW),
                row(PLACEHOLDERS, null, "c1", "10.0.0.1", PUBLISH, "home/%u/x", DENY),
                row(PLACEHOLDERS, "#", "c1", "10.0.0.1", PUBLISH, "home/anything/x", DENY),
                row(PLACEHOLDERS, "+", "c1", "10.0.0.1", PUBLISH, "home/x/y", DENY),
                row(PLACEHOLDERS, "a/b", "c1", "10.0.0.1", PUBLISH, "home/a/b/c", DENY),
                row(PLACEHOLDERS, "", "c1", "10.0.0.1", PUBLISH, "home//c", DENY),
                // who: and / or / ipaddr (v4, v6) / client / user all
                row(WHO, "alice", "c", "10.2.3.4", PUBLISH, "and/1", ALLOW),
                row(WHO, "alice", "c", "11.2.3.4", PUBLISH, "and/1", IGNORE),
                row(WHO, "carol", "c", "10.2.3.4", PUBLISH, "and/1", IGNORE),
                row(WHO, "bob", "c", "11.2.3.4", PUBLISH, "or/1", ALLOW),
                row(WHO, "x", "c-7", "11.2.3.4", PUBLISH, "or/1", ALLOW),
                row(WHO, "x", "c-8", "11.2.3.4", PUBLISH, "or/1", IGNORE),
                row(WHO, "x", "c", "2001:db8::17", SUBSCRIBE, "v6/a", ALLOW),
                row(WHO, "x", "c", "2001:db9::17", SUBSCRIBE, "v6/a", IGNORE),
                row(WHO, "x", "c", "192.168.1.200", SUBSCRIBE, "lan/a", ALLOW),
                row(WHO, "x", "c", "192.168.2.200", SUBSCRIBE, "lan/a", IGNORE),
                row(WHO, "x", "c", "192.168.1.200", SUBSCRIBE, "lan/a/b", IGNORE),
                row(WHO, null, "c", "1.1.1.1", SUBSCRIBE, "open/a", ALLOW),
                row(WHO, null, "c", "1.1.1.1", SUBSCRIBE, "closed/a", DENY),
                row(WHO, "x", "c", "1.1.1.1", PUBLISH, "empty-and", ALLOW),
                row(WHO, "x", "c", "1.1.1.1", PUBLISH, "empty-or", IGNORE),
                row(WHO, "mallory", "c", "1.1.1.1", SUBSCRIBE, "anything/at/all", DENY),
                row(WHO, "u1", "n1", "1.1.1.1", PUBLISH, "nested", ALLOW),
                row(WHO, "u2", "n1", "1.1.1.1", PUBLISH, "nested", IGNORE),
                row(WHO, "u2", "n1", "::1", SUBSCRIBE, "nested", ALLOW),
                // order: first match wins; sub filters are compared word by word; eq
                row(ORDER, "u", "c", "1.1.1.1", PUBLISH, "a/b", DENY),
                row(ORDER, "v", "c", "1.1.1.1", PUBLISH, "a/b", ALLOW),
                row(ORDER, "u", "c", "1.1.1.1", PUBLISH, "a/c", ALLOW),
                row(ORDER, "u", "c", "1.1.1.1", PUBLISH, "b", DENY),
                row(ORDER, "u", "c", "1.1.1.1", SUBSCRIBE, "s/+", ALLOW),
                row(ORDER, "u", "c", "1.1.1.1", SUBSCRIBE, "s/x/#", ALLOW),
                row(ORDER, "u", "c", "1.1.1.1", SUBSCRIBE, "e/+", ALLOW),
                row(ORDER, "u", "c", "1.1.1.1", SUBSCRIBE, "e/x", IGNORE),
                row("{allow, all, subscribe, [\"a/b\"]}.", "u", "c", "1.1.1.1", SUBSCRIBE, "a/+", IGNORE),
                row("{allow, all, subscribe, [\"a/#\"]}.", "u", "c", "1.1.1.1", SUBSCRIBE, "a/+", ALLOW),
                row("{deny, all, subscribe, [{eq, \"#\"}]}.", "u", "c", "1.1.1.1", SUBSCRIBE, "#", DENY),
                row("{deny, all, subscribe, [{eq, \"#\"}]}.", "u", "c", "1.1.1.1", SUBSCRIBE, "a/#", IGNORE),
                row("{deny, all, publish, [{eq, \"home/%u\"}]}.", "u", "c", "1.1.1.1", PUBLISH, "home/u", IGNORE),
                row("{deny, all}.", "u", "c", "1.1.1.1", SUBSCRIBE, "x", DENY),
                row("", "u", "c", "1.1.1.1", PUBLISH, "x", IGNORE),
                row("{allow, {user, \"u\"}, publish, []}.", "u", "c", "1.1.1.1", PUBLISH, "x", IGNORE));
    }

    private static Arguments row(String acl, String user, String clientId, String ip, Access access, String topic,
                                 AclResult expected) {
        String label = (acl.length() > 40 ? acl.lines().findFirst().orElse("") + "..." : acl).strip();
        return arguments(label, acl, client(user, clientId, ip), access, topic, expected);
    }

    @ParameterizedTest(name = "[{index}] {3} {4} by {2} → {5}")
    @MethodSource("table")
    void decides(String label, String acl, ClientInfo client, Access access, String topic, AclResult expected) {
        assertThat(AclRules.parse(acl).check(client, access, topic)).isEqualTo(expected);
    }
}
