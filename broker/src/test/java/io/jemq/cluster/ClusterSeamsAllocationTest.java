package io.jemq.cluster;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node alone pays nothing for the cluster's acknowledgements: the unit a QoS 1/2 publish opens and closes around
 * its routing ({@link ClusterSeams#beginUnit}, {@link ClusterSeams#endUnit}) answers null and allocates no byte.
 */
class ClusterSeamsAllocationTest {

    @Test
    void aPublishUnitOnANodeAloneAllocatesNothingAndWaitsForNothing() {
        ClusterSeams seams = new ClusterSeams();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100_000; i++) {          // compiled first
            seams.beginUnit();
            assertThat(seams.endUnit()).isNull();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        Accepted last = null;
        for (int i = 0; i < 1_000_000; i++) {
            seams.beginUnit();
            Accepted a = seams.endUnit();
            if (a != null) {
                last = a;
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(last).as("nothing to wait for").isNull();
        // the measuring call itself may allocate a few bytes: far below one object per unit
        assertThat(allocated).as("bytes allocated by a million units").isLessThan(1024);
    }
}
