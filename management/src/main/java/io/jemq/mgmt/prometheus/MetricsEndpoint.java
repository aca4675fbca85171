package io.jemq.mgmt.prometheus;

import io.jemq.sys.Counters;
import io.jemq.mgmt.http.Reply;
import io.jemq.mgmt.http.Routes;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /metrics} on the management listener: the Prometheus text exposition format (0.0.4). First the counter
 * table, every counter and stat of {@code sys/Counters} under its Prometheus name ({@link CounterTableText},
 * docs/metrics.md), then Micrometer's JVM figures (memory pools and buffers, GC, threads, classes, CPU, uptime) and
 * Netty's allocator memory. Everything is read when scraped: nothing here runs on the MQTT hot path. Open without
 * credentials, as EMQX 5's Prometheus endpoint is; limit it with {@code listener.api.mgmt.access.N}.
 *
 * <p>Scrapes run on the API's threads; the Micrometer registry is safe for that.
 */
public final class MetricsEndpoint implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Counters counters;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public MetricsEndpoint(Counters counters) {
        this.counters = counters;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        new NettyAllocatorMetrics(UnpooledByteBufAllocator.DEFAULT).bindTo(registry);
        registry.gauge("netty_direct_memory_used_bytes", PlatformDependent.class,
                c -> PlatformDependent.usedDirectMemory());
    }

    public void register(Routes routes) {
        routes.add("GET", "/metrics", Routes.Guard.OPEN, c -> CompletableFuture.completedFuture(scrape()));
    }

    /** The whole exposition, as the endpoint answers it. */
    public Reply scrape() {
        StringBuilder out = new StringBuilder(32 * 1024);
        CounterTableText.write(counters.figures(), out);
        out.append(registry.scrape());
        return new Reply(200, CONTENT_TYPE, out.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
