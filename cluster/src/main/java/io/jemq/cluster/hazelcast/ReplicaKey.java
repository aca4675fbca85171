package io.jemq.cluster.hazelcast;

import com.hazelcast.partition.PartitionAware;

import java.io.Serializable;

/**
 * The key of one undelivered message in the replica of a durable session: the client id, the epoch of the session's
 * holder (a new one each time a node takes the session: its messages never mix with an earlier holder's) and the
 * message's number in that epoch, in the order the session took them. Every message of a client id lives in the
 * partition of the client id, so a take-over reads one partition. Made on any thread; immutable.
 */
record ReplicaKey(String clientId, long epoch, long seq) implements PartitionAware<String>, Serializable {

    @Override
    public String getPartitionKey() {
        return clientId;
    }
}
