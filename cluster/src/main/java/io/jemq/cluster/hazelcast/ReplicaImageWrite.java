package io.jemq.cluster.hazelcast;

import com.hazelcast.map.EntryProcessor;

import java.io.Serializable;
import java.util.Map;

/**
 * Writes (or, with a null image, deletes) a durable session's image in the replica unless a newer holder wrote its
 * own meanwhile: a node that let the session go never overwrites the image of the node that took it. Runs on the
 * Hazelcast member that owns the entry (and on its backup), on the partition's thread.
 *
 * @param epoch the writer's epoch; a delete removes only an image of exactly this epoch
 * @param image the encoded image ({@link PeerCodec#image}); null: delete
 * @return from {@link #process}: the epoch of the image it replaced (0: none), or -1 when it left a newer one
 */
record ReplicaImageWrite(long epoch, byte[] image) implements EntryProcessor<String, byte[], Long>, Serializable {

    @Override
    public Long process(Map.Entry<String, byte[]> entry) {
        byte[] current = entry.getValue();
        long currentEpoch = current == null ? 0 : PeerCodec.imageEpoch(current);
        if (image == null ? currentEpoch != epoch : currentEpoch > epoch) {
            return -1L;
        }
        entry.setValue(image);
        return currentEpoch;
    }
}
