package io.jemq.mgmt.trace;

import io.jemq.ctl.ControlCommands;
import io.jemq.mgmt.ctl.CtlCommand;
import io.jemq.routing.Topics;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code trace list | client <ClientId> <File> | client <ClientId> off | topic <Topic> <File> | topic <Topic> off},
 * with EMQ's answers ({@code trace client c1 successfully.}, {@code trace client c1 -> trace_c1.log}). A relative
 * file is relative to the broker's working directory (the jemq home when started with bin/jemq).
 */
final class TraceCommand extends CtlCommand {
    private final Tracer tracer;

    TraceCommand(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public List<String> usage() {
        return List.of(line("trace list", "List all traces"),
                line("trace client <ClientId> <LogFile>", "Trace a client"),
                line("trace client <ClientId> off", "Stop tracing a client"),
                line("trace topic <Topic> <LogFile>", "Trace a topic"),
                line("trace topic <Topic> off", "Stop tracing a topic"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (args.is("list")) {
            List<String[]> all = tracer.list();
            if (args.json()) {
                printJson(out, Map.of("traces", all.stream().map(t -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("type", t[0]);
                    m.put("name", t[1]);
                    m.put("file", t[2]);
                    return m;
                }).toList(), "dropped_lines", tracer.dropped()));
            } else {
                all.forEach(t -> out.println("trace " + t[0] + " " + t[1] + " -> " + t[2]));
            }
            return ControlCommands.OK;
        }
        if (args.size() != 3 || !(args.get(0).equals("client") || args.get(0).equals("topic"))) {
            return usage(out);
        }
        String name = args.get(1);
        boolean off = args.get(2).equals("off");
        Tracer.Outcome outcome;
        if (args.get(0).equals("client")) {
            outcome = off ? tracer.stopClient(name) : tracer.startClient(name, args.get(2));
        } else if (!off && !Topics.isValidFilter(name, 0)) {
            outcome = new Tracer.Outcome(false, "trace topic " + name + " error: bad topic filter");
        } else {
            outcome = off ? tracer.stopTopic(name) : tracer.startTopic(name, args.get(2));
        }
        return say(args, out, outcome.ok(), outcome.message());
    }
}
