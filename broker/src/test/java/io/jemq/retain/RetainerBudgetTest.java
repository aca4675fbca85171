package io.jemq.retain;

import static org.assertj.core.api.Assertions.assertThat;

import io.jemq.config.RetainerSettings;
import io.jemq.limits.Budget;
import io.jemq.limits.MemoryBudgets;
import io.jemq.message.Message;
import io.jemq.sys.Alarms;
import io.jemq.sys.Counters;
import io.netty.buffer.Unpooled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** mqtt.budget.retained as the retainer applies it: a new topic is refused at the limit, a replacement
 *  only when it grows the topic past it; a topic an operator clears gives its bytes back. */
class RetainerBudgetTest {
    private static final int PAYLOAD = 1000;
    private static final long COST = MemoryBudgets.messageCost(PAYLOAD, "t/0");

    private final Budget budget = new Budget("retained", 2 * COST + COST / 2, new Alarms());
    private final Retainer retainer = new Retainer(new RetainerSettings(0, 0, Duration.ZERO), new Counters(), budget);

    @Test
    void aNewTopicPastTheBudgetIsNotKept() {
        retainer.onRetainedPublish(message("t/0", 1));
        retainer.onRetainedPublish(message("t/1", 1));

        assertThat(retainer.hasRoomFor(message("t/2", 1))).isFalse();
        retainer.onRetainedPublish(message("t/2", 1));
        assertThat(retainer.get("t/2")).isNull();
    }

    @Test
    void aTopicCanBeReplacedWhenTheBudgetHasLessRoomThanTheNewMessage() {
        retainer.onRetainedPublish(message("t/0", 1));
        retainer.onRetainedPublish(message("t/1", 1));

        Message replacement = message("t/0", 2);
        assertThat(retainer.hasRoomFor(replacement)).isTrue();
        retainer.onRetainedPublish(replacement);

        assertThat(retainer.get("t/0").payload().getByte(0)).isEqualTo((byte) 2);
        assertThat(budget.used()).as("the old message's bytes given back").isEqualTo(2 * COST);
    }

    @Test
    void aReplacementThatGrowsTheTopicPastTheBudgetIsRefused() {
        retainer.onRetainedPublish(message("t/0", 1));
        retainer.onRetainedPublish(message("t/1", 1));

        Message bigger = message("t/0", 3, PAYLOAD + COST);   // adds more than the half message of room left
        assertThat(retainer.hasRoomFor(bigger)).isFalse();
        retainer.onRetainedPublish(bigger);
        assertThat(retainer.get("t/0").payload().getByte(0)).as("the old message kept").isEqualTo((byte) 1);
        assertThat(budget.used()).isEqualTo(2 * COST);
    }

    @Test
    void anOperatorsRemoveGivesTheBytesBackAndForEachListsWhatIsKept() {
        retainer.onRetainedPublish(message("t/0", 1));
        retainer.onRetainedPublish(message("t/1", 1));
        List<String> topics = new ArrayList<>();
        retainer.forEach((topic, m) -> topics.add(topic));
        assertThat(topics).containsExactlyInAnyOrder("t/0", "t/1");

        assertThat(retainer.remove("t/0")).isTrue();
        assertThat(retainer.remove("t/0")).isFalse();
        assertThat(retainer.get("t/0")).isNull();
        assertThat(budget.used()).isEqualTo(COST);
        assertThat(retainer.hasRoomFor(message("t/2", 1))).isTrue();
    }

    private static Message message(String topic, int fill) {
        return message(topic, fill, PAYLOAD);
    }

    private static Message message(String topic, int fill, long size) {
        byte[] payload = new byte[(int) size];
        Arrays.fill(payload, (byte) fill);
        return new Message(topic, 1, true, Unpooled.wrappedBuffer(payload), "pub", 0, 0, null);
    }
}
