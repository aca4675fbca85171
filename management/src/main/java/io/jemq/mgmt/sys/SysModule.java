package io.jemq.mgmt.sys;

import io.jemq.Broker;
import io.jemq.BrokerModule;
import io.jemq.sys.Alarms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code $SYS/brokers/<node>/…} tree of EMQ 2.x (REFERENCE 2.10): the node list, version and description
 * (retained), uptime and datetime every second, the stats and metrics of the counter table every
 * {@code mqtt.broker.sys_interval}, client presence, alarms and sysmon warnings as they happen. Everything is published
 * on one daemon thread, {@code jemq-sys}, through the broker's publish pipeline; the broker's threads only hand it
 * events. Started by the broker ({@link BrokerModule}) before the listeners bind.
 */
public final class SysModule implements BrokerModule {
    private static final Logger log = LoggerFactory.getLogger(SysModule.class);
    static final String DISK_ALARM = "disk_almost_full";

    private ScheduledThreadPoolExecutor sysThread;
    private Broker broker;
    private SysSettings settings;
    private SysTopics topics;
    private Presence presence;
    private AlarmTopics alarmTopics;
    private Sysmon sysmon;
    private long startedAtNanos;

    @Override
    public String name() {
        return "sys";
    }

    @Override
    public void start(Broker broker) {
        this.broker = broker;
        this.settings = SysSettings.from(broker.settings());
        this.startedAtNanos = System.nanoTime();
        sysThread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jemq-sys");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());          // events after close are dropped, not thrown at a loop
        topics = new SysTopics(broker::publish, settings.node());
        long interval = settings.interval().toMillis();
        if (interval > 0) {
            sysThread.scheduleAtFixedRate(this::tick, 0, interval, TimeUnit.MILLISECONDS);
            sysThread.scheduleAtFixedRate(this::clock, 0, 1, TimeUnit.SECONDS);
        }
        if (settings.presence()) {
            presence = new Presence(topics, settings.presenceQos(), sysThread);
            broker.events().add(presence);
        }
        alarmTopics = new AlarmTopics(topics, sysThread);
        broker.alarms().addListener(alarmTopics);
        sysmon = new Sysmon(settings, topics, sysThread, broker.alarms(), broker.counters());
        sysmon.start();
        if (settings.longScheduleMillis() > 0) {
            LoopProbe probe = new LoopProbe(broker.listeners().eventLoops(), settings.longScheduleMillis(),
                    sysmon::report);
            long every = Math.max(10, settings.longScheduleMillis() / 4);
            sysThread.scheduleWithFixedDelay(probe::check, every, every, TimeUnit.MILLISECONDS);
        }
        if (settings.diskHighWatermark() > 0) {
            long every = settings.checkInterval().toMillis();
            sysThread.scheduleWithFixedDelay(this::checkDisk, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Every sys_interval: the cluster's nodes, this one's version and description (retained), stats and metrics. */
    private void tick() {
        try {
            topics.publishTopic("$SYS/brokers", String.join(",", broker.cluster().members(settings.node())), 0, true);
            topics.publish("version", BrokerInfo.version(), 0, true);
            topics.publish("sysdescr", BrokerInfo.SYSDESCR, 0, true);
            for (Map.Entry<String, Long> s : broker.counters().stats().entrySet()) {
                topics.publish("stats/" + s.getKey(), Long.toString(s.getValue()), 0, false);
            }
            for (Map.Entry<String, Long> m : broker.counters().snapshot().entrySet()) {
                topics.publish("metrics/" + m.getKey(), Long.toString(m.getValue()), 0, false);
            }
        } catch (RuntimeException e) {
            log.warn("$SYS tick failed", e);     // a scheduled task that throws is never run again
        }
    }

    /** Every second: uptime and datetime. */
    private void clock() {
        try {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos);
            topics.publish("uptime", BrokerInfo.uptime(seconds), 0, false);
            topics.publish("datetime", BrokerInfo.datetime(LocalDateTime.now()), 0, false);
        } catch (RuntimeException e) {
            log.warn("$SYS clock failed", e);
        }
    }

    /** {@code disk_almost_full} while the data directory's disk is fuller than alarm.disk_high_watermark. */
    private void checkDisk() {
        Path dir = broker.settings().node().dataDir().toAbsolutePath();
        try {
            Path existing = dir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return;
            }
            FileStore store = Files.getFileStore(existing);
            long total = store.getTotalSpace();
            if (total <= 0) {
                return;
            }
            double used = 1 - (double) store.getUsableSpace() / total;
            Alarms alarms = broker.alarms();
            if (used > settings.diskHighWatermark()) {
                alarms.raise(DISK_ALARM, String.format("the disk of %s is %d%% full, over alarm.disk_high_watermark",
                        dir, Math.round(used * 100)));
            } else if (used < settings.diskHighWatermark() * 0.95) {
                alarms.clear(DISK_ALARM);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot look at the disk of {}: {}", dir, e.toString());
        }
    }

    /** Uptime in seconds since this module started with the broker. */
    public long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos);
    }

    @Override
    public void close() {
        if (broker == null) {
            return;
        }
        if (presence != null) {
            broker.events().remove(presence);
        }
        if (alarmTopics != null) {
            broker.alarms().removeListener(alarmTopics);
        }
        if (sysmon != null) {
            sysmon.close();
        }
        if (sysThread != null) {
            sysThread.shutdownNow();
            try {
                sysThread.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
