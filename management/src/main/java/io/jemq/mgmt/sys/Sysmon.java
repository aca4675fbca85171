package io.jemq.mgmt.sys;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.jemq.sys.Alarms;
import io.jemq.sys.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The JVM's counterparts of EMQ's {@code sysmon} warnings, published to {@code $SYS/brokers/<node>/sysmon/<kind>} as
 * text ({@code long_gc warning: gc = …, info: …}): a long GC pause ({@code long_gc}, from the JVM's GC
 * notifications), a large heap after a GC ({@code large_heap}), an event loop busy with one task for too long
 * ({@code long_schedule}, a probe task posted to each loop), connections whose writes stayed blocked
 * ({@code busy_port}, the listeners' send timeouts). Raises the {@code heap_memory_high_watermark} alarm too.
 * GC notifications arrive on the JVM's notification thread; everything else runs on the module's thread.
 */
final class Sysmon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sysmon.class);
    static final String HEAP_ALARM = "heap_memory_high_watermark";

    private final SysSettings settings;
    private final SysTopics topics;
    private final ScheduledExecutorService sysThread;
    private final Alarms alarms;
    private final Counters counters;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener gcListener = this::onGc;
    private final Set<String> heapPools;
    private final Map<String, Long> sendTimeoutsSeen = new HashMap<>();
    private volatile boolean heapLarge;

    Sysmon(SysSettings settings, SysTopics topics, ScheduledExecutorService sysThread, Alarms alarms,
           Counters counters) {
        this.settings = settings;
        this.topics = topics;
        this.sysThread = sysThread;
        this.alarms = alarms;
        this.counters = counters;
        this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    void start() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(gcListener, null, null);
                emitters.add(e);
            }
        }
        if (settings.busyPort()) {
            long every = settings.checkInterval().toMillis();
            sysThread.scheduleWithFixedDelay(this::checkSendTimeouts, every, every, TimeUnit.MILLISECONDS);
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long millis = info.getGcInfo().getDuration();
        if (settings.longGcMillis() > 0 && millis >= settings.longGcMillis()) {
            report("long_gc", "long_gc warning: gc = " + info.getGcName() + ", info: duration=" + millis
                    + "ms, cause=" + info.getGcCause() + ", action=" + info.getGcAction());
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        afterGc(used, Runtime.getRuntime().maxMemory(), info.getGcName());
    }

    /** The heap in use after a GC: {@code large_heap} on crossing its limit, the alarm on crossing the watermark. */
    void afterGc(long used, long max, String gcName) {
        long limit = settings.largeHeap().of(max);
        if (limit > 0) {
            boolean large = used > limit;
            if (large && !heapLarge) {
                report("large_heap", "large_heap warning: gc = " + gcName + ", info: heap_used=" + used
                        + ", heap_max=" + max + ", limit=" + limit);
            }
            heapLarge = large;
        }
        if (settings.heapHighWatermark() > 0 && max > 0) {
            double share = (double) used / max;
            if (share > settings.heapHighWatermark()) {
                alarms.raise(HEAP_ALARM, String.format("heap in use after a GC is %d%% of the maximum (%d of %d "
                        + "bytes), over alarm.heap_high_watermark", Math.round(share * 100), used, max));
            } else if (share < settings.heapHighWatermark() * 0.9) {
                alarms.clear(HEAP_ALARM);
            }
        }
    }

    /** {@code busy_port}: connections a listener closed because their writes made no progress for send_timeout. */
    private void checkSendTimeouts() {
        counters.snapshot().forEach((path, value) -> {
            if (path.startsWith("listeners/") && path.endsWith("/send_timeouts")) {
                long before = sendTimeoutsSeen.getOrDefault(path, 0L);
                sendTimeoutsSeen.put(path, value);
                if (value > before) {
                    String listener = path.substring("listeners/".length(), path.length() - "/send_timeouts".length());
                    report("busy_port", "busy_port warning: listener = " + listener + ", info: " + (value - before)
                            + " connection(s) closed, their writes blocked for send_timeout");
                }
            }
        });
    }

    /** Any thread: logged and published in order on the module's thread. */
    void report(String kind, String text) {
        log.warn("{}", text);
        sysThread.execute(() -> topics.publish("sysmon/" + kind, text, 0, false));
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(gcListener);
            } catch (ListenerNotFoundException ignored) {
                // never added
            }
        }
        emitters.clear();
    }
}
