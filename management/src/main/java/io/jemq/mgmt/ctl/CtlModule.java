package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.BrokerModule;

import java.util.List;

/**
 * The control commands of REFERENCE 2.11 that management answers ({@code status}, {@code broker}, {@code clients},
 * {@code sessions}, {@code routes}, {@code topics}, {@code subscriptions}, {@code listeners}, {@code vm},
 * {@code cluster}, and {@code plugins} with {@code --json}); the broker and its plugins register the others
 * ({@code acl}, {@code users}, {@code clientids}), the trace module {@code trace}. They reach {@code bin/jemq ctl}
 * over the broker's private control socket.
 */
public final class CtlModule implements BrokerModule {
    private static final List<String> NAMES = List.of("status", "broker", "clients", "sessions", "routes", "topics",
            "subscriptions", "listeners", "vm", "cluster", "plugins");
    private Broker broker;

    @Override
    public String name() {
        return "ctl";
    }

    @Override
    public void start(Broker broker) {
        this.broker = broker;
        broker.commands().register("status", new NodeCommands.Status(broker));
        broker.commands().register("broker", new NodeCommands.BrokerCommand(broker));
        broker.commands().register("cluster", new NodeCommands.Cluster(broker));
        broker.commands().register("clients", new ClientsCommand(broker));
        broker.commands().register("sessions", new SessionsCommand(broker));
        broker.commands().register("routes", new RoutesCommand(broker, "routes"));
        broker.commands().register("topics", new RoutesCommand(broker, "topics"));
        broker.commands().register("subscriptions", new SubscriptionsCommand(broker));
        broker.commands().register("listeners", new ListenersCommand(broker));
        broker.commands().register("vm", new VmCommand(broker));
        broker.commands().register("plugins", new PluginsJsonCommand(broker));
    }

    @Override
    public void close() {
        if (broker != null) {
            NAMES.stream().filter(n -> !n.equals("plugins")).forEach(broker.commands()::unregister);
        }
    }
}
