package io.jemq.auth.sql;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;

/**
 * One row of {@code acl_query}'s result ({@code allow, ipaddr, username, clientid, access, topic}) as EMQ 2.x's
 * {@code emq_acl_mysql} / {@code emq_acl_pgsql} compile it, for one check on a pool thread. Immutable.
 * <ul>
 *   <li>{@code allow}: 1 allows, 0 denies. {@code access}: 1 subscribe, 2 publish, 3 both.</li>
 *   <li>Who: {@code username = '$all'} is everyone; otherwise every non-empty column of {@code ipaddr} (an address
 *       or CIDR block), {@code username} and {@code clientid} must match. A row with none matches nobody (EMQ
 *       failed on it).</li>
 *   <li>{@code topic}: a filter matched with MQTT wildcards, whose whole levels {@code %u} and {@code %c} stand for
 *       the client's username and client id; {@code eq <filter>} must equal the checked topic word for word (so
 *       {@code eq #} is about a subscription to {@code #} itself).</li>
 * </ul>
 * A value that is not one of those (an {@code allow} of 7, a NULL topic) makes the row match nothing.
 */
record AclRow(Integer allow, String ipaddr, String username, String clientId, Integer access, String topic) {
    private static final String ALL = "$all";
    private static final String EQ = "eq ";

    /** Whether this row is about {@code access} at all. */
    boolean covers(Access what) {
        if (access == null || (allow == null || (allow != 0 && allow != 1))) {
            return false;
        }
        int bit = what == Access.SUBSCRIBE ? 1 : 2;
        return access >= 1 && access <= 3 && (access & bit) != 0;
    }

    /** Whether the row decides this check: its client and its topic match. */
    boolean matches(ClientInfo client, String checked, SqlDialect dialect) {
        return isAbout(client, dialect) && topicMatches(client, checked);
    }

    boolean allows() {
        return allow != null && allow == 1;
    }

    private boolean isAbout(ClientInfo client, SqlDialect dialect) {
        if (ALL.equals(username)) {
            return true;
        }
        boolean any = false;
        if (!dialect.isEmpty(ipaddr)) {
            IpBlock block = IpBlock.parse(ipaddr);
            if (block == null || client.peer() == null || !block.contains(client.peer().getAddress())) {
                return false;
            }
            any = true;
        }
        if (!dialect.isEmpty(username)) {
            if (!username.equals(client.username())) {
                return false;
            }
            any = true;
        }
        if (!dialect.isEmpty(clientId)) {
            if (!clientId.equals(client.clientId())) {
                return false;
            }
            any = true;
        }
        return any;
    }

    private boolean topicMatches(ClientInfo client, String checked) {
        if (topic == null) {
            return false;
        }
        if (topic.startsWith(EQ)) {
            return topic.substring(EQ.length()).equals(checked);
        }
        String filter = TopicFilters.fill(topic, client);
        return filter != null && TopicFilters.matches(filter, checked);
    }
}
