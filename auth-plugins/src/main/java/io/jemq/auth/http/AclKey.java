package io.jemq.auth.http;

import io.jemq.api.Access;
import io.jemq.api.ClientInfo;
import io.jemq.api.PlaceholderValues;

/**
 * What an ACL check's requests are made of, so two checks with equal keys would send equal requests: the key of the
 * ACL cache (EMQX Edge keys on the client id, username, access, topics and address). Immutable.
 */
record AclKey(String clientId, String username, String ipAddress, Access access, String topic, String mountpoint,
              String certCommonName, String certSubject) {
    static AclKey of(ClientInfo client, Access access, String topic) {
        return new AclKey(client.clientId(), client.username(), PlaceholderValues.ipAddress(client.peer()), access,
                topic, client.mountpoint(), client.certCommonName(), client.certSubject());
    }
}
