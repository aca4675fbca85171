package io.jemq.listeners;

import io.jemq.message.Message;
import io.jemq.protocol.Mountpoint;
import io.jemq.routing.TopicFilter;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MountpointTest {
    @Test
    void placeholdersAreFilledWithTheClientIdAndUsername() {
        Mountpoint m = Mountpoint.resolve("tenants/%u/devices/%c/", "dev-1", "acme");

        assertThat(m.prefix()).isEqualTo("tenants/acme/devices/dev-1/");
        assertThat(m.mount("temp")).isEqualTo("tenants/acme/devices/dev-1/temp");
        assertThat(m.unmount("tenants/acme/devices/dev-1/temp")).isEqualTo("temp");
    }

    @Test
    void otherPercentSequencesStayAsWritten() {
        assertThat(Mountpoint.resolve("a/%x/100%/", "c", "u").prefix()).isEqualTo("a/%x/100%/");
    }

    @Test
    void anEmptyTemplateIsNoMountpoint() {
        assertThat(Mountpoint.resolve("", "c", null)).isSameAs(Mountpoint.NONE);
        assertThat(Mountpoint.NONE.mount("a/b")).isEqualTo("a/b");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {"#", "+", "a/b", "''", "x#", "null"})
    void aValueThatCouldLeaveTheSubtreeRefusesTheClient(String username) {
        assertThat(Mountpoint.resolve("tenants/%u/", "client", username)).isNull();
        assertThat(Mountpoint.resolve("devices/%c/", username, "user")).isNull();
    }

    @Test
    void aPlaceholderTheTemplateDoesNotUseIsNotChecked() {
        assertThat(Mountpoint.resolve("devices/%c/", "ok", null)).isNotNull();
    }

    @Test
    void sharedSubscriptionsKeepTheirGroupAndMountTheirFilter() {
        Mountpoint m = Mountpoint.resolve("t/%u/", "c", "acme");

        assertThat(m.mount(TopicFilter.parse("$share/workers/jobs/+")))
                .isEqualTo(new TopicFilter("t/acme/jobs/+", "workers"));
        assertThat(m.mount(TopicFilter.parse("#"))).isEqualTo(new TopicFilter("t/acme/#", null));
    }

    @Test
    void anUnmountedMessageSharesThePayloadAndIsReleasedOnItsOwn() {
        Message routed = new Message("t/acme/a", 1, false, Unpooled.copiedBuffer("x", StandardCharsets.UTF_8), "p",
                0, 0, null);
        Mountpoint m = Mountpoint.resolve("t/%u/", "c", "acme");

        Message shown = m.unmount(routed);
        assertThat(shown.topic()).isEqualTo("a");
        assertThat(shown.payload().toString(StandardCharsets.UTF_8)).isEqualTo("x");
        shown.release();
        assertThat(routed.refCnt()).isEqualTo(1);
        assertThat(routed.payload().refCnt()).isEqualTo(1);
        routed.release();
        assertThat(routed.payload().refCnt()).isZero();

        Message elsewhere = new Message("other/a", 0, false, Unpooled.EMPTY_BUFFER, "p", 0, 0, null);
        assertThat(m.unmount(elsewhere)).isSameAs(elsewhere);
    }
}
