package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.protocol.ClientSnapshot;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code clients list | show <ClientId> | kick <ClientId>}. A line reads as EMQ's:
 * {@code Client(c1, clean_sess=true, username=undefined, peername=127.0.0.1:50412, connected_at=1765016401)}.
 */
final class ClientsCommand extends CtlCommand {
    private final Broker broker;

    ClientsCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> usage() {
        return List.of(line("clients list", "List all clients"),
                line("clients show <ClientId>", "Show a client"),
                line("clients kick <ClientId>", "Kick out a client"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (args.is("list")) {
            List<ClientSnapshot> all = await(broker.clients().list());
            all.sort(Comparator.comparing(ClientSnapshot::clientId));
            if (args.json()) {
                printJson(out, all.stream().map(ClientsCommand::json).toList());
            } else {
                all.forEach(c -> out.println(line(c)));
            }
            return ControlCommands.OK;
        }
        if (args.size() == 2 && args.get(0).equals("show")) {
            Optional<ClientSnapshot> c = await(broker.clients().get(args.get(1)));
            if (c.isEmpty()) {
                return say(args, out, false, "Not Found.");
            }
            if (args.json()) {
                printJson(out, json(c.get()));
            } else {
                out.println(line(c.get()));
            }
            return ControlCommands.OK;
        }
        if (args.size() == 2 && args.get(0).equals("kick")) {
            boolean kicked = await(broker.clients().kick(args.get(1)));
            return say(args, out, kicked, kicked ? "ok" : "Not Found.");
        }
        return usage(out);
    }

    static String line(ClientSnapshot c) {
        return "Client(" + c.clientId() + ", clean_sess=" + c.cleanStart() + ", username=" + orUndefined(c.username())
                + ", peername=" + peer(c.peer()) + ", connected_at=" + c.connectedAt() / 1000 + ")";
    }

    static String peer(InetSocketAddress a) {
        return a == null ? "undefined" : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The REST API's client fields (REFERENCE 2.12), plus the listener. */
    static Map<String, Object> json(ClientSnapshot c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.clientId());
        m.put("username", c.username());
        m.put("ipaddress", c.peer() == null ? null : c.peer().getAddress().getHostAddress());
        m.put("port", c.peer() == null ? null : c.peer().getPort());
        m.put("clean_sess", c.cleanStart());
        m.put("proto_ver", c.protocolLevel());
        m.put("keepalive", c.keepalive());
        m.put("connected_at", c.connectedAt() / 1000);
        m.put("listener", c.listenerId());
        m.put("inflight", c.inflight());
        m.put("mqueue_len", c.queued());
        return m;
    }
}
