package io.jemq.session;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.limits.MemoryBudgets;
import io.jemq.routing.Router;
import io.jemq.store.StoredSession;
import io.jemq.store.memory.MemoryStore;
import io.jemq.sys.Counters;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node alone pays nothing for the cluster's replica of durable sessions: without a {@link SessionMirror} the
 * registry gives each session its store's own object, and deciding so allocates no byte.
 */
class SessionMirrorAllocationTest {

    @Test
    void aDurableSessionOnANodeAloneKeepsItsOwnStoreAndHoldingItAllocatesNothing() {
        BrokerSettings settings = BrokerSettings.from(ConfFile.of(Map.of()));
        SessionRegistry registry = new SessionRegistry(settings.session(), settings.mqueue(),
                new Router(settings.sharedStrategy()), new Counters(), MemoryBudgets.unlimited());
        StoredSession stored = new MemoryStore(0).sessions().create("durable", 0);
        assertThat(registry.held(stored, 3600, false)).as("not wrapped for a replica").isSameAs(stored);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int same = 0;
        for (int i = 0; i < 100_000; i++) {          // compiled first
            same += registry.held(stored, 3600, i % 2 == 0) == stored ? 1 : 0;
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            same += registry.held(stored, 3600, i % 2 == 0) == stored ? 1 : 0;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        stored.delete();
        assertThat(same).isEqualTo(1_100_000);
        // the measuring call itself may allocate a few bytes: far below one object per session
        assertThat(allocated).as("bytes allocated by a million sessions held").isLessThan(1024);
    }
}
