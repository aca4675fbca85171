package io.jemq.access.acl;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;

import java.util.List;

/**
 * One rule of acl.conf: {@code {allow|deny, Who, subscribe|publish|pubsub, [Topic]}}, or {@code {allow|deny, all}}
 * which is about every client and topic (then {@code topics} is null).
 *
 * @param line where the rule starts, for messages
 */
public record AclRule(boolean allow, Who who, boolean publish, boolean subscribe, List<TopicRule> topics, int line) {

    public boolean appliesTo(Access access) {
        return access == Access.PUBLISH ? publish : subscribe;
    }

    /** Whether this rule decides the check (for a rule that applies to the access). */
    public boolean matches(ClientInfo client, String topic) {
        if (!who.matches(client)) {
            return false;
        }
        if (topics == null) {
            return true;
        }
        for (TopicRule t : topics) {
            if (t.matches(client, topic)) {
                return true;
            }
        }
        return false;
    }
}
