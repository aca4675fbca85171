package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.plugin.Plugins;
import io.jemq.plugin.PluginsCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's {@code plugins list | load | unload} (its {@link PluginsCommand}, unchanged for people), with
 * {@code --json} for scripts: the list as objects in the REST API's shape ({@code name, version, description,
 * active}) and the order authentication asks them in; load and unload as {@code {"result","message"}}.
 */
final class PluginsJsonCommand extends CtlCommand {
    private final Plugins plugins;
    private final PluginsCommand text;

    PluginsJsonCommand(Broker broker) {
        this.plugins = broker.plugins();
        this.text = new PluginsCommand(plugins);
    }

    @Override
    public List<String> usage() {
        return text.usage();
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (!args.json()) {
            return text.run(args.words(), out);
        }
        if (args.is("list")) {
            List<Map<String, Object>> list = plugins.list().stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("version", p.version());
                m.put("description", p.description());
                m.put("active", p.active());
                return m;
            }).toList();
            printJson(out, Map.of("plugins", list, "ask_order", plugins.askOrder()));
            return ControlCommands.OK;
        }
        StringWriter said = new StringWriter();
        int code;
        try (PrintWriter w = new PrintWriter(said)) {
            code = text.run(args.words(), w);
        }
        if (code == ControlCommands.USAGE) {
            out.print(said);
            return code;
        }
        return say(args, out, code == ControlCommands.OK, said.toString().strip());
    }
}
