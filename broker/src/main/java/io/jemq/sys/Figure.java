package io.jemq.sys;

/**
 * One figure of the counter table as an exporter sees it.
 *
 * @param path           where EMQ publishes it, under {@code $SYS/brokers/<node>/}: {@code metrics/bytes/received},
 *                       {@code stats/clients/max}, {@code metrics/listeners/tcp.external/send_timeouts}...
 * @param prometheusName {@code emqx_bytes_received}, {@code jemq_listener_send_timeouts}...
 * @param gauge          true for a value that goes up and down, false for a counter that only grows
 * @param label          the Prometheus label name ({@code listener}, {@code source}) or null
 * @param labelValue     its value (the listener id, the source name) or null
 * @param help           one line saying what it counts
 */
public record Figure(String path, String prometheusName, boolean gauge, String label, String labelValue, String help,
                     long value) {
}
