package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Call;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * This node as the API names and describes it ({@code node.name}, e.g. {@code jemq@127.0.0.1}), and EMQ's forms of
 * times: {@code YYYY-MM-DD HH:MM:SS} in local time and uptime as {@code 3 hours, 5 minutes, 7 seconds}. A path
 * naming another node is answered 404 with EMQ's code 101 (badrpc), except where an API shows the other nodes of a
 * cluster ({@link NodesApi}, the client lookup of {@link ClientsApi}).
 */
public final class Node {
    public static final String SYSDESCR = "jemq MQTT broker";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Broker broker;
    private final Instant startedAt;

    public Node(Broker broker, Instant startedAt) {
        this.broker = broker;
        this.startedAt = startedAt;
    }

    public String name() {
        return broker.settings().nodeName();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The version of the jar the broker came from; {@code 0.1.0} when the jar does not say (as plugins report). */
    public static String version() {
        String v = Broker.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** Refuses a call whose {@code {node}} is not this node (saying so when it is another node of the cluster). */
    public void check(Call call) {
        String asked = call.pathParams().get("node");
        if (asked != null && !asked.equals(name())) {
            throw ApiError.notFound(ApiError.BAD_RPC, broker.cluster().members(name()).contains(asked)
                    ? asked + " is another node of the cluster: ask its own API" : "no such node: " + asked);
        }
    }

    public static String datetime(long epochMillis) {
        return DATETIME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneId.systemDefault()));
    }

    /** EMQ's uptime text: {@code 5 seconds}, {@code 3 hours, 5 minutes, 7 seconds}, {@code 1 days,2 hours, ...}. */
    public String uptime() {
        return uptime(startedAt);
    }

    /** The uptime text of a node started at {@code start} (another node's, from its report). */
    public static String uptime(Instant start) {
        long s = Math.max(0, Duration.between(start, Instant.now()).toSeconds());
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        StringBuilder b = new StringBuilder();
        if (days > 0) {
            b.append(days).append(" days,");
        }
        if (days > 0 || hours > 0) {
            b.append(hours).append(" hours, ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            b.append(minutes).append(" minutes, ");
        }
        return b.append(seconds).append(" seconds").toString();
    }
}
