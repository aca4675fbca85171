package io.jemq.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The guard every broker test relies on: a buffer nobody released fails the test that closes a broker next. */
class NettyLeaksTest {
    @Test
    void aBufferNeverReleasedIsReportedAndFailsTheCheck() {
        forget(PooledByteBufAllocator.DEFAULT.buffer(16).writeInt(42));
        await().untilAsserted(() -> {
            System.gc();
            PooledByteBufAllocator.DEFAULT.buffer(8).release();      // the detector looks when a buffer is made
            assertThatThrownBy(NettyLeaks::assertNone).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("LEAK: ByteBuf").hasMessageContaining("NettyLeaksTest");
        });
        assertThatCode(NettyLeaks::assertNone).doesNotThrowAnyException();  // each report fails once
    }

    private static void forget(ByteBuf buffer) {
        buffer.touch("made by NettyLeaksTest and never released");
    }
}
