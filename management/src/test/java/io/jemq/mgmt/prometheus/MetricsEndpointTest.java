package io.jemq.mgmt.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.mgmt.http.Api;
import io.jemq.mgmt.http.Json;
import io.jemq.sys.Counter;
import io.jemq.sys.Counters;
import io.jemq.sys.Figure;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} read by a real Prometheus text parser (the Prometheus Python client's, Debian's
 * python3-prometheus-client) after a known number of messages: every figure of the counter table is there under its
 * Prometheus name with the table's value, beside the JVM's and Netty's memory.
 */
class MetricsEndpointTest {
    /** Parses stdin with prometheus_client and prints {family: {type, samples: {"name{labels}": value}}} as JSON. */
    private static final String PARSER = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for f in text_string_to_metric_families(sys.stdin.read()):
                samples = {}
                for s in f.samples:
                    labels = ",".join(k + "=" + v for k, v in sorted(s.labels.items()))
                    samples[s.name + "{" + labels + "}"] = s.value
                out[f.name] = {"type": f.type, "samples": samples}
            print(json.dumps(out))
            """;

    private static EmbeddedBroker broker;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().set("listener.api.mgmt", "127.0.0.1:0").start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static JsonNode scrapeAndParse() throws Exception {
        Api.Answer a = Api.of(broker).anonymous().get("/metrics");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        Path text = Files.writeString(dir.resolve("metrics.txt"), a.body());
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", PARSER).redirectInput(text.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("the parser refused the exposition: " + err).isZero();
        return Json.MAPPER.readTree(p.getInputStream().readAllBytes());
    }

    @Test
    void everyFigureOfTheCounterTableWithItsValue() throws Exception {
        Mqtt3BlockingClient sub = Clients.connect3(broker.port(), "sub", null, null);
        Mqtt3BlockingClient pub = Clients.connect3(broker.port(), "pub", null, null);
        try (var publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
            sub.subscribeWith().topicFilter("m/#").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int i = 0; i < 5; i++) {
                pub.publishWith().topic("m/" + i).payload("x".getBytes()).qos(MqttQos.AT_LEAST_ONCE).send();
            }
            for (int i = 0; i < 5; i++) {
                Clients.next(publishes);
            }
            for (int i = 0; i < 3; i++) {
                pub.publishWith().topic("m/q0").qos(MqttQos.AT_MOST_ONCE).send();
                Clients.next(publishes);
            }
        }
        Counters counters = broker.broker().counters();
        // the deliveries' PUBACKs are counted when they arrive: wait for the figures to settle
        org.awaitility.Awaitility.await().until(() -> counters.get(Counter.PACKETS_PUBACK_RECEIVED) == 5);
        JsonNode parsed = scrapeAndParse();
        List<Figure> figures = counters.figures();

        assertThat(value(parsed, "emqx_messages_qos1_received", "")).isEqualTo(5);
        assertThat(value(parsed, "emqx_messages_qos0_received", "")).isEqualTo(3);
        assertThat(value(parsed, "emqx_messages_received", "")).isEqualTo(8);
        assertThat(value(parsed, "emqx_messages_sent", "")).isEqualTo(8);
        assertThat(value(parsed, "emqx_packets_puback_received", "")).isEqualTo(5);
        assertThat(value(parsed, "emqx_connections_count", "")).isEqualTo(2);
        assertThat(value(parsed, "emqx_subscriptions_count", "")).isEqualTo(1);
        for (Figure f : figures) {
            if (f.path().contains("bytes/") || f.path().startsWith("stats/")) {
                continue;                                   // moved by the scrape's own read or by the clients' closes
            }
            String labels = f.label() == null ? "" : f.label() + "=" + f.labelValue();
            assertThat(value(parsed, f.prometheusName(), labels)).as(f.path()).isEqualTo(f.value());
            assertThat(parsed.get(f.prometheusName()).get("type").asText()).isEqualTo(f.gauge() ? "gauge" : "counter");
        }
        assertThat(parsed.has("emqx_bytes_received")).isTrue();
        assertThat(parsed.has("jemq_listener_connections_accepted")).isTrue();
        assertThat(value(parsed, "jemq_listener_connections_accepted", "listener=tcp.external")).isEqualTo(2);
    }

    @Test
    void jvmAndNettyMemory() throws Exception {
        JsonNode parsed = scrapeAndParse();
        assertThat(parsed.get("jvm_memory_used_bytes").get("samples").toString()).contains("area=heap");
        assertThat(parsed.get("jvm_buffer_memory_used_bytes").get("samples").toString()).contains("id=direct");
        assertThat(parsed.get("netty_allocator_memory_used").get("samples").toString()).contains("memory_type=direct");
        assertThat(parsed.has("netty_direct_memory_used_bytes")).isTrue();
        assertThat(parsed.has("jvm_gc_pause_seconds") || parsed.has("jvm_gc_memory_allocated_bytes")).isTrue();
    }

    /** The one sample of a family with these labels ({@code a=b,c=d}, sorted), counters' _total suffix aside. */
    private static long value(JsonNode parsed, String family, String labels) {
        JsonNode f = parsed.get(family);
        assertThat(f).as("family " + family).isNotNull();
        JsonNode samples = f.get("samples");
        for (String name : List.of(family, family + "_total")) {
            JsonNode v = samples.get(name + "{" + labels + "}");
            if (v != null) {
                return v.asLong();
            }
        }
        throw new AssertionError("no sample of " + family + " with {" + labels + "}: " + samples);
    }
}
