package io.jemq.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LiveHeapTest {

    @Test
    void aJvmsLiveHeapIsReadFromItsClassHistogram() {
        long mine = LiveHeap.of(ProcessHandle.current().pid());
        assertThat(mine).as("this test's own JVM holds some live objects").isGreaterThan(1_000_000L);
        assertThat(mine).isLessThan(Runtime.getRuntime().totalMemory());
    }

    @Test
    void aProcessThatIsNotAJvmHasNone() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertThat(LiveHeap.isJvm(sleeper.pid())).isFalse();
            assertThat(LiveHeap.of(sleeper.pid())).isEqualTo(-1);
        } finally {
            sleeper.destroy();
        }
    }

    @Test
    void theTotalIsTheHistogramsLastLine() {
        assertThat(LiveHeap.total("Total       1234567      98765432")).isEqualTo(98_765_432L);
        assertThat(LiveHeap.total("12345: Unable to open socket file")).isEqualTo(-1);
    }
}
