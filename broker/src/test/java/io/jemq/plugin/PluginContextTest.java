package io.jemq.plugin;

import io.jemq.access.AclChain;
import io.jemq.access.AclFile;
import io.jemq.access.AuthChain;
import io.jemq.access.acl.AclRules;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.ConfigException;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.PluginMetrics;
import io.jemq.api.SourceUnavailableException;
import io.jemq.config.AccessSettings.Nomatch;
import io.jemq.ctl.ControlCommands;
import io.jemq.events.BrokerEvents;
import io.jemq.sys.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What {@link Plugins} hands a plugin (executor, scheduler, counters, listeners) and takes back when it unloads. */
class PluginContextTest {
    private static final ClientInfo CLIENT = new ClientInfo("c1", "u", null, 4, "tcp");

    @TempDir
    Path home;

    private final BrokerEvents events = new BrokerEvents();
    private final List<String> closedWith = new ArrayList<>();
    private Plugins plugins;
    private PluginContext context;

    /** Loads {@code emq_probe}, whose create runs {@code setup} on its context, with {@code conf} as its config. */
    private Plugins load(String conf, Consumer<PluginContext> setup) throws IOException {
        Files.writeString(home.resolve("emq_probe.conf"), conf);
        plugins = new Plugins(home, home.resolve("loaded_plugins"), home,
                new AuthChain(true, Duration.ofSeconds(1), new Counters()),
                new AclChain(Nomatch.ALLOW, Duration.ofSeconds(1), AclFile.of(AclRules.EMPTY)), new ControlCommands(),
                events);
        plugins.register(new PluginFactory() {
            @Override
            public String name() {
                return "emq_probe";
            }

            @Override
            public String description() {
                return "probe";
            }

            @Override
            public Plugin create(PluginContext ctx) {
                context = ctx;
                setup.accept(ctx);
                return new Plugin() {
                    @Override
                    public void close() {
                        closedWith.add("closed; events active: " + events.active());
                    }
                };
            }
        });
        plugins.load("emq_probe");
        return plugins;
    }

    @AfterEach
    void closeAll() {
        if (plugins != null) {
            plugins.close();
        }
    }

    @Test
    void thePrefixIsTheNameWithoutEmqAndWithDots() {
        PluginFactory mysql = new PluginFactory() {
            @Override
            public String name() {
                return "emq_auth_mysql";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public Plugin create(PluginContext context) {
                return null;
            }
        };
        assertThat(mysql.settingsPrefix()).isEqualTo("auth.mysql");
    }

    @Test
    void theExecutorIsBoundedByPoolAndPoolQueueAndRefusesClearly() throws Exception {
        load("probe.pool = 1\nprobe.pool_queue = 1\n", ctx -> { });
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        List<String> threadNames = new ArrayList<>();
        context.blockingExecutor().execute(() -> {
            threadNames.add(Thread.currentThread().getName());
            running.countDown();
            waitFor(release);
        });
        running.await(5, TimeUnit.SECONDS);
        CountDownLatch queuedRan = new CountDownLatch(1);
        context.blockingExecutor().execute(queuedRan::countDown);     // waits in the queue

        assertThatThrownBy(() -> context.blockingExecutor().execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("plugin emq_probe is busy: all 1 threads of probe.pool are working and 1 requests wait");
        CompletableFuture<String> refused = context.callBlocking(() -> "never");
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).cause().isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith("emq_probe is unavailable: plugin emq_probe is busy");
        assertThat(threadNames).containsExactly("jemq-emq_probe-1");
        release.countDown();
        assertThat(queuedRan.await(5, TimeUnit.SECONDS)).isTrue();    // the queue has room again
        assertThat(context.callBlocking(() -> "done").get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void theExecutorClosesWithThePluginAfterItsQueuedWorkFinished() throws Exception {
        load("", ctx -> { });
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> inFlight = context.callBlocking(() -> {
            waitFor(release);
            return "answered while the plugin was open";
        });
        BlockingPool pool = plugins.context("emq_probe").pool();

        CompletableFuture<Void> unloading = CompletableFuture.runAsync(() -> plugins.unload("emq_probe"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(
                () -> pool.execute(() -> { })).hasMessage("plugin emq_probe is closed"));
        assertThat(closedWith).isEmpty();                  // the request in flight still has the plugin open
        release.countDown();
        unloading.get(5, TimeUnit.SECONDS);

        assertThat(inFlight.get()).isEqualTo("answered while the plugin was open");
        assertThat(closedWith).hasSize(1);
        assertThat(pool.isTerminated()).isTrue();
        assertThat(pool.threads()).isZero();
        assertThat(context.callBlocking(() -> "late")).isCompletedExceptionally();
    }

    @Test
    void aPoolSizeOutOfRangeFailsTheLoadNamingTheKey() {
        assertThatThrownBy(() -> load("probe.pool = 0\n", ctx -> { })).isInstanceOf(ConfigException.class)
                .hasMessageContaining("emq_probe.conf:1: probe.pool: expected an integer");
    }

    @Test
    void listenersAreRemovedWhenThePluginUnloads() throws Exception {
        List<String> seen = new ArrayList<>();
        BrokerListener listener = new BrokerListener() {
            @Override
            public void clientConnected(ClientInfo client, int connackCode) {
                seen.add(client.clientId());
            }
        };
        load("", ctx -> ctx.addListener(listener));
        events.clientConnected(CLIENT, 0);

        plugins.unload("emq_probe");
        events.clientConnected(new ClientInfo("after", null, null, 4, "tcp"), 0);

        assertThat(seen).containsExactly("c1");
        assertThat(events.active()).isFalse();
        assertThat(closedWith).containsExactly("closed; events active: false");
        assertThatThrownBy(() -> context.addListener(listener)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void scheduledTasksAreCancelledWhenThePluginUnloads() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        List<ScheduledFuture<?>> tasks = new ArrayList<>();
        load("", ctx -> {
            tasks.add(ctx.scheduler().scheduleAtFixedRate(ticks::incrementAndGet, Duration.ZERO,
                    Duration.ofMillis(5)));
            tasks.add(ctx.scheduler().schedule(ticks::incrementAndGet, Duration.ofHours(1)));
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 2);

        plugins.unload("emq_probe");

        assertThat(tasks).allMatch(ScheduledFuture::isCancelled);
        assertThatThrownBy(() -> context.scheduler().schedule(() -> { }, Duration.ZERO))
                .isInstanceOf(RejectedExecutionException.class).hasMessage("plugin emq_probe is closed");
    }

    @Test
    void aTaskThatThrowsKeepsItsSchedule() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        load("", ctx -> ctx.scheduler().scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("scripted");
        }, Duration.ZERO, Duration.ofMillis(5)));

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
    }

    @Test
    void aOneShotTaskForgetsItselfOnceRun() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        load("", ctx -> ctx.scheduler().schedule(ran::countDown, Duration.ZERO));
        ran.await(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(5)).until(() -> plugins.context("emq_probe").scopedScheduler()
                .pending() == 0);
    }

    @Test
    void countersAreKeptPerPluginForManagementUntilItUnloads() throws Exception {
        load("", ctx -> ctx.metrics().counter("auth/success").add(2));
        PluginMetrics.Counter c = context.metrics().counter("auth/success");
        c.increment();
        context.metrics().counter("auth/failure").increment();

        assertThat(c.get()).isEqualTo(3);
        assertThat(plugins.metrics("emq_probe")).isEqualTo(Map.of("auth/failure", 1L, "auth/success", 3L));
        assertThatThrownBy(() -> context.metrics().counter("Auth Success"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower case words");
        assertThatThrownBy(() -> c.add(-1)).isInstanceOf(IllegalArgumentException.class);
        plugins.unload("emq_probe");
        assertThat(plugins.metrics("emq_probe")).isEmpty();
    }

    @Test
    void whatAFailedCreateRegisteredIsTakenBack() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        assertThatThrownBy(() -> load("", ctx -> {
            ctx.addListener(new BrokerListener() { });
            ctx.scheduler().scheduleAtFixedRate(ticks::incrementAndGet, Duration.ofHours(1), Duration.ofHours(1));
            throw new IllegalStateException("cannot reach the backend's schema");
        })).isInstanceOf(ConfigException.class).hasMessageContaining("plugin emq_probe not loaded");

        assertThat(events.active()).isFalse();
        assertThatThrownBy(() -> context.blockingExecutor().execute(() -> { }))
                .hasMessage("plugin emq_probe is closed");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
