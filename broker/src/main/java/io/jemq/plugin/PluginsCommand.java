package io.jemq.plugin;

import io.jemq.api.ConfigException;
import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.util.List;

/** {@code plugins list | load <Plugin> | unload <Plugin>}; the list ends with the order the chains ask in. */
public final class PluginsCommand implements ControlCommand {
    private final Plugins plugins;

    public PluginsCommand(Plugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public List<String> usage() {
        return List.of(
                "plugins list                        Show plugins and the order authentication asks them in",
                "plugins load <Plugin>               Load a plugin (remembered in data/loaded_plugins)",
                "plugins unload <Plugin>             Unload a plugin");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
        String sub = args.isEmpty() ? "" : args.get(0);
        if (sub.equals("list") && args.size() == 1) {
            plugins.list().forEach(out::println);
            List<String> order = plugins.askOrder();
            out.println("Asked first to last: " + (order.isEmpty() ? "(no plugin)" : String.join(", ", order))
                    + "; then mqtt.allow_anonymous (authentication) / acl.conf, mqtt.acl_nomatch (ACL)");
            return ControlCommands.OK;
        }
        if ((sub.equals("load") || sub.equals("unload")) && args.size() == 2) {
            String name = args.get(1);
            try {
                if (sub.equals("load")) {
                    plugins.load(name);
                    out.println("Plugin " + name + " loaded successfully.");
                } else {
                    plugins.unload(name);
                    out.println("Plugin " + name + " unloaded successfully.");
                }
                return ControlCommands.OK;
            } catch (IllegalArgumentException | ConfigException e) {
                out.println(e.getMessage());
                return ControlCommands.FAILED;
            }
        }
        return ControlCommands.usage(this, out);
    }
}
