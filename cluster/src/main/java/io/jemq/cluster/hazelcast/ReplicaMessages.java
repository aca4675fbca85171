package io.jemq.cluster.hazelcast;

import com.hazelcast.query.Predicate;

import java.util.Map;

/**
 * Selects the replicated messages of one client id: those of one epoch, or (with {@code older}) those of every epoch
 * before it, left by earlier holders. Evaluated by Hazelcast on the partition of the client id.
 */
record ReplicaMessages(String clientId, long epoch, boolean older) implements Predicate<ReplicaKey, byte[]> {

    @Override
    public boolean apply(Map.Entry<ReplicaKey, byte[]> entry) {
        ReplicaKey k = entry.getKey();
        return k.clientId().equals(clientId) && (older ? k.epoch() < epoch : k.epoch() == epoch);
    }
}
