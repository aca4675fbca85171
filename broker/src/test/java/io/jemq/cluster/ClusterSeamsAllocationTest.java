package io.jemq.cluster;

import io.jemq.flow.Backpressure;
import io.jemq.message.Message;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node alone pays nothing for the cluster's acknowledgements: the unit a QoS 1/2 publish opens and closes around
 * its routing ({@link ClusterSeams#beginUnit}, {@link ClusterSeams#endUnit}) answers null and allocates no byte; nor
 * for flow control across nodes: forwarding with the publisher's backpressure goes nowhere and tells it nothing.
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

    @Test
    void forwardingWithAPublishersBackpressureOnANodeAloneAllocatesNothingAndPausesNobody() {
        ClusterSeams seams = new ClusterSeams();
        Message m = new Message("t", 1, false, Unpooled.wrappedBuffer(new byte[8]), "pub", 0, 0,
                Message.MessageProperties.NONE);
        int[] told = new int[1];
        Backpressure publisher = target -> told[0]++;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long nodes = 0;
        for (int i = 0; i < 100_000; i++) {          // compiled first
            nodes += seams.forward(m, publisher);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            nodes += seams.forward(m, publisher);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        m.release();
        assertThat(nodes).as("nodes forwarded to").isZero();
        assertThat(told[0]).as("pauses asked for").isZero();
        assertThat(allocated).as("bytes allocated by a million forwards").isLessThan(1024);
    }
}
