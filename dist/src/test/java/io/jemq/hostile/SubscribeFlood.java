package io.jemq.hostile;

import io.jemq.testkit.Packet;
import io.jemq.testkit.Packets;
import io.jemq.testkit.RawClient;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One hostile client sending SUBSCRIBE packets of 2,000 distinct filters each, as fast as SUBACKs come back. */
final class SubscribeFlood {
    static final int FILTERS_PER_PACKET = 2000;

    /** @param codes how many filters got each SUBACK return code */
    record Result(String clientId, int version, Map<Integer, Integer> codes) {
        int granted() {
            return codes.entrySet().stream().filter(e -> e.getKey() <= 2).mapToInt(Map.Entry::getValue).sum();
        }

        int refused() {
            return codes.entrySet().stream().filter(e -> e.getKey() > 2).mapToInt(Map.Entry::getValue).sum();
        }
    }

    private SubscribeFlood() {
    }

    static Result run(int port, int version, String clientId, int packets) throws IOException, InterruptedException {
        return run(port, version, clientId, packets, new CountDownLatch(1));
    }

    /**
     * Subscribes {@code packets} × 2,000 filters, each SUBACK read before the next; then stays connected until every
     * client of {@code allDone} is done too, since a clean session that ends gives its subscriptions back.
     */
    static Result run(int port, int version, String clientId, int packets, CountDownLatch allDone)
            throws IOException, InterruptedException {
        Map<Integer, Integer> codes = new TreeMap<>();
        try (RawClient c = RawClient.connected(port, version, clientId, true)) {
            for (int p = 0; p < packets; p++) {
                List<String> filters = new ArrayList<>(FILTERS_PER_PACKET);
                for (int i = 0; i < FILTERS_PER_PACKET; i++) {
                    filters.add("flood/" + clientId + "/" + (p * FILTERS_PER_PACKET + i));
                }
                c.send(Packets.subscribe(version, p + 1, filters, 1));
                Packet ack = c.read(Duration.ofSeconds(30))
                        .orElseThrow(() -> new AssertionError(clientId + ": no SUBACK within 30 s"));
                if (ack.type() != Packets.SUBACK) {
                    throw new AssertionError(clientId + ": got " + ack + " instead of a SUBACK");
                }
                int at = 2;
                if (version == 5) {
                    at += 1 + ack.body()[2];                      // property length (below 128 here) and properties
                }
                for (; at < ack.body().length; at++) {
                    codes.merge(ack.body()[at] & 0xFF, 1, Integer::sum);
                }
            }
            allDone.countDown();
            if (!allDone.await(2, TimeUnit.MINUTES)) {
                throw new AssertionError(clientId + ": the other clients did not finish");
            }
        }
        return new Result(clientId, version, codes);
    }
}
