package io.jemq.flow;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PausedPublishersTest {
    private final PausedPublishers paused = new PausedPublishers();
    private final List<String> resumed = new ArrayList<>();

    @Test
    void aResumeRunsEachWaitingPublisherOnceAndForgetsThem() {
        paused.add(() -> resumed.add("a"));
        paused.add(() -> resumed.add("b"));
        assertThat(paused.size()).isEqualTo(2);

        paused.resumeAll();
        paused.resumeAll();

        assertThat(resumed).containsExactly("a", "b");
        assertThat(paused.isEmpty()).isTrue();
    }

    @Test
    void aPublisherThatRegistersWhileOthersAreResumedWaitsForTheNextResume() {
        // the resumed publisher finds its target behind again at once and registers anew
        paused.add(() -> {
            resumed.add("first");
            paused.add(() -> resumed.add("again"));
        });

        paused.resumeAll();
        assertThat(resumed).as("not resumed by the resume it registered during").containsExactly("first");
        assertThat(paused.size()).isEqualTo(1);

        paused.resumeAll();
        assertThat(resumed).containsExactly("first", "again");
    }

    @Test
    void aClosedPublisherIsForgotten() {
        Runnable closed = () -> resumed.add("closed");
        paused.add(closed);
        paused.add(() -> resumed.add("open"));

        paused.remove(closed);
        paused.resumeAll();

        assertThat(resumed).containsExactly("open");
    }
}
