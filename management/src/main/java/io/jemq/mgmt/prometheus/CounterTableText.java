package io.jemq.mgmt.prometheus;

import io.jemq.sys.Counters;
import io.jemq.sys.Figure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counter table ({@link Counters#figures()}) in the Prometheus text exposition format 0.0.4, read when scraped:
 * each figure under its own name (EMQX 5's where EMQX 5 has the figure), {@code counter} or {@code gauge}, one
 * {@code # HELP}/{@code # TYPE} per name and one sample per label value (listener, auth source).
 *
 * <p>Written here rather than through Micrometer's registry because the Prometheus client under Micrometer renames
 * every counter to {@code <name>_total}: EMQX 5's {@code emqx_messages_received} would become
 * {@code emqx_messages_received_total} and dashboards made for EMQX would find nothing.
 */
final class CounterTableText {

    private CounterTableText() {
    }

    static void write(List<Figure> figures, StringBuilder out) {
        Map<String, StringBuilder> byName = new LinkedHashMap<>();
        Map<String, Figure> first = new LinkedHashMap<>();
        for (Figure f : figures) {
            first.putIfAbsent(f.prometheusName(), f);
            StringBuilder samples = byName.computeIfAbsent(f.prometheusName(), n -> new StringBuilder());
            samples.append(f.prometheusName());
            if (f.label() != null) {
                samples.append('{').append(f.label()).append("=\"").append(escapeLabel(f.labelValue())).append("\"}");
            }
            samples.append(' ').append(f.value()).append('\n');
        }
        byName.forEach((name, samples) -> {
            Figure f = first.get(name);
            out.append("# HELP ").append(name).append(' ').append(escapeHelp(help(f))).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(f.gauge() ? "gauge" : "counter").append('\n');
            out.append(samples);
        });
    }

    /** A labelled row's help names what it counts, not the one row it came from. */
    private static String help(Figure f) {
        return f.help() == null ? f.path() : f.help();
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
