package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.routing.RouteSnapshot;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code routes list | show <Topic>} ({@code <topic> -> <node>}) and {@code topics list | show <Topic>} (one topic a
 * line; show prints its route). On one node every route points here.
 */
final class RoutesCommand extends CtlCommand {
    private final Broker broker;
    private final String name;

    /** @param name {@code routes} or {@code topics} */
    RoutesCommand(Broker broker, String name) {
        this.broker = broker;
        this.name = name;
    }

    @Override
    public List<String> usage() {
        return name.equals("routes")
                ? List.of(line("routes list", "List all routes"), line("routes show <Topic>", "Show a route"))
                : List.of(line("topics list", "List all topics"), line("topics show <Topic>", "Show a topic"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        List<RouteSnapshot> routes = broker.router().routes();
        if (args.is("list")) {
            print(args, out, routes, name.equals("topics"));
            return ControlCommands.OK;
        }
        if (args.size() == 2 && args.get(0).equals("show")) {
            List<RouteSnapshot> one = routes.stream().filter(r -> r.filter().equals(args.get(1))).toList();
            if (one.isEmpty()) {
                return say(args, out, false, "Not Found.");
            }
            print(args, out, one, false);
            return ControlCommands.OK;
        }
        return usage(out);
    }

    private void print(Args args, PrintWriter out, List<RouteSnapshot> routes, boolean topicsOnly) {
        String node = broker.settings().nodeName();
        if (args.json()) {
            printJson(out, routes.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("topic", r.filter());
                m.put("node", node);
                m.put("subscriptions", r.subscribers());
                return m;
            }).toList());
            return;
        }
        for (RouteSnapshot r : routes) {
            out.println(topicsOnly ? r.filter() : r.filter() + " -> " + node);
        }
    }
}
