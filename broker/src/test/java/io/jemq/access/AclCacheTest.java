package io.jemq.access;

import org.junit.jupiter.api.Test;

import static io.jemq.api.Access.PUBLISH;
import static io.jemq.api.Access.SUBSCRIBE;
import static org.assertj.core.api.Assertions.assertThat;

/** The per-connection cache on an explicit clock (nanoseconds). */
class AclCacheTest {
    private static final long TTL = 1_000;

    @Test
    void answersUntilTheTtlThenForgets() {
        AclCache c = new AclCache(4, TTL, 0);
        c.put(PUBLISH, "a", AclDecision.DENY, 100);
        assertThat(c.get(PUBLISH, "a", 100 + TTL - 1, 0)).isEqualTo(AclDecision.DENY);
        assertThat(c.get(PUBLISH, "a", 100 + TTL, 0)).isNull();
        assertThat(c.size()).isZero();
    }

    @Test
    void publishAndSubscribeAreSeparateSlots() {
        AclCache c = new AclCache(4, TTL, 0);
        c.put(PUBLISH, "a", AclDecision.ALLOW, 0);
        assertThat(c.get(SUBSCRIBE, "a", 0, 0)).isNull();
        c.put(SUBSCRIBE, "a", AclDecision.DENY, 0);
        assertThat(c.get(PUBLISH, "a", 0, 0)).isEqualTo(AclDecision.ALLOW);
        assertThat(c.get(SUBSCRIBE, "a", 0, 0)).isEqualTo(AclDecision.DENY);
        assertThat(c.size()).isEqualTo(1);
    }

    @Test
    void theOldestTopicGoesFirstWhenFull() {
        AclCache c = new AclCache(2, TTL, 0);
        c.put(PUBLISH, "a", AclDecision.ALLOW, 0);
        c.put(PUBLISH, "b", AclDecision.ALLOW, 1);
        assertThat(c.get(PUBLISH, "a", 2, 0)).isNotNull();          // a hit does not make it young again
        c.put(PUBLISH, "c", AclDecision.ALLOW, 3);
        assertThat(c.get(PUBLISH, "a", 4, 0)).isNull();
        assertThat(c.get(PUBLISH, "b", 4, 0)).isNotNull();
        assertThat(c.get(PUBLISH, "c", 4, 0)).isNotNull();
    }

    @Test
    void anExpiredHitDropsEveryExpiredEntry() {
        AclCache c = new AclCache(8, TTL, 0);
        c.put(PUBLISH, "old1", AclDecision.ALLOW, 0);
        c.put(PUBLISH, "old2", AclDecision.ALLOW, 10);
        c.put(PUBLISH, "young", AclDecision.ALLOW, 900);
        assertThat(c.get(PUBLISH, "old1", TTL + 20, 0)).isNull();
        assertThat(c.size()).isEqualTo(1);
    }

    @Test
    void aNewGenerationEmptiesIt() {
        AclCache c = new AclCache(8, TTL, 0);
        c.put(PUBLISH, "a", AclDecision.ALLOW, 0);
        assertThat(c.get(PUBLISH, "a", 0, 1)).isNull();
        assertThat(c.size()).isZero();
    }
}
