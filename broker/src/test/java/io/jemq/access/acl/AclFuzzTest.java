package io.jemq.access.acl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jemq.api.Access;
import io.jemq.api.ClientInfo;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the acl.conf parser: the input is the file's bytes, decoded as {@code AclFile} reads them (strict UTF-8; a
 * file that is not UTF-8 is refused before parsing, so such inputs stop there) and parsed with
 * {@link AclRules#parse}. Any text must either give rules or fail with an {@link AclSyntaxException} at a line and
 * column within the text; anything else that escapes (an exception from TermReader, Cidr, TopicRule...) is a
 * finding. Parsed rules are then asked about a few clients and topics, which must not throw either. The corpus is in
 * {@code src/test/resources/io/jemq/access/acl/AclFuzzTestInputs/aclConf/}; see docs/reliability.md.
 */
class AclFuzzTest {
    private static final List<ClientInfo> CLIENTS = List.of(
            new ClientInfo("c-1", "dashboard", new InetSocketAddress("127.0.0.1", 50000), 4, "tcp.external"),
            new ClientInfo("#", null, new InetSocketAddress("2001:db8::1", 50000), 5, "tcp.external"),
            new ClientInfo("", "a/+", null, 4, "ws.external"));
    private static final List<String> TOPICS = List.of("$SYS/brokers", "a/b", "home/dashboard/x", "#", "a/+", "");

    @FuzzTest(maxDuration = "60s")
    void aclConf(byte[] input) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            return;                                   // AclFile: "not UTF-8 text"
        }
        AclRules rules;
        try {
            rules = AclRules.parse(text);
        } catch (AclSyntaxException e) {
            long lines = text.chars().filter(c -> c == '\n').count() + 1;
            if (e.line() < 1 || e.line() > lines || e.column() < 1
                    || !e.getMessage().startsWith(e.line() + ":" + e.column() + ": ")) {
                throw new AssertionError("an AclSyntaxException without a line and column in the text: "
                        + e.getMessage() + " (" + lines + " lines)", e);
            }
            return;
        }
        for (ClientInfo client : CLIENTS) {
            for (String topic : TOPICS) {
                rules.check(client, Access.PUBLISH, topic);
                rules.check(client, Access.SUBSCRIBE, topic);
            }
        }
    }
}
