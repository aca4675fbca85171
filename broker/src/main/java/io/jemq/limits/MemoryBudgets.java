package io.jemq.limits;

import io.jemq.config.BudgetSettings;
import io.jemq.sys.Alarms;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budgets of everything a client can make the broker hold, sized from the JVM's maximum heap and direct memory
 * (see {@link BudgetSettings}), and the estimated cost of each thing held. The estimates are deliberately on the
 * high side: a budget is there to stop the broker before the JVM does.
 */
public final class MemoryBudgets {
    private static final Logger log = LoggerFactory.getLogger(MemoryBudgets.class);

    private final Budget subscriptions;
    private final Budget retained;
    private final Budget queues;
    private final Budget reads;

    public MemoryBudgets(BudgetSettings settings, Alarms alarms) {
        this(settings, alarms, Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
        log.info("memory budgets (heap max {} MB, direct max {} MB): subscriptions {}, retained {}, queues {}, "
                        + "reads {}", Runtime.getRuntime().maxMemory() >> 20, PlatformDependent.maxDirectMemory() >> 20,
                describe(subscriptions), describe(retained), describe(queues), describe(reads));
    }

    MemoryBudgets(BudgetSettings settings, Alarms alarms, long maxHeap, long maxDirect) {
        this.subscriptions = new Budget("subscriptions", settings.subscriptions().of(maxHeap), alarms);
        this.retained = new Budget("retained", settings.retained().of(maxHeap), alarms);
        this.queues = new Budget("queues", settings.queues().of(maxHeap), alarms);
        this.reads = new Budget("reads", settings.reads().of(maxDirect), alarms);
    }

    /** Budgets with no limits: for tests and tools that build parts of the broker alone. */
    public static MemoryBudgets unlimited() {
        BudgetSettings.Share none = new BudgetSettings.Share(0, 0);
        return new MemoryBudgets(new BudgetSettings(none, none, none, none), new Alarms(), 0, 0);
    }

    private static String describe(Budget b) {
        return b.limit() == Long.MAX_VALUE ? "unlimited" : (b.limit() >> 20) + " MB";
    }

    public Budget subscriptions() {
        return subscriptions;
    }

    public Budget retained() {
        return retained;
    }

    public Budget queues() {
        return queues;
    }

    public Budget reads() {
        return reads;
    }

    /** A subscription: the filter twice (map key and trie) and the entries around it (measured 370–530 B). */
    public static long subscriptionCost(String filter) {
        return 2L * filter.length() + 512;
    }

    /** A message kept for a while: its payload, its topic (string and UTF-8 bytes) and its objects. */
    public static long messageCost(int payloadBytes, String topic) {
        return payloadBytes + 3L * topic.length() + 256;
    }
}
