package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.config.ListenerSettings;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code listeners}: each MQTT listener as EMQ prints it ({@code listener on mqtt:tcp:0.0.0.0:1883}, then
 * {@code acceptors}, {@code max_clients}, {@code current_clients}, {@code shutdown_count}, {@code ~-16s: ~w}).
 */
final class ListenersCommand extends CtlCommand {
    private final Broker broker;

    ListenersCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> usage() {
        return List.of(line("listeners", "List listeners"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (args.size() != 0) {
            return usage(out);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (ListenerSettings l : broker.settings().listeners()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", "mqtt:" + l.protocol());
            m.put("listen_on", l.host() + ":" + broker.boundPort(l.id()));
            m.put("acceptors", l.acceptors());
            m.put("max_clients", l.maxClients());
            m.put("current_clients", broker.listeners().currentConnections(l.id()));
            m.put("shutdown_count", List.of());
            all.add(m);
        }
        if (args.json()) {
            printJson(out, all);
            return ControlCommands.OK;
        }
        for (Map<String, Object> m : all) {
            out.println("listener on " + m.get("protocol") + ":" + m.get("listen_on"));
            for (String key : List.of("acceptors", "max_clients", "current_clients", "shutdown_count")) {
                out.println(String.format("  %-16s: %s", key, m.get(key)));
            }
        }
        return ControlCommands.OK;
    }
}
