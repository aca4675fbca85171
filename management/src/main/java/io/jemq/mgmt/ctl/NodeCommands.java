package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.mgmt.sys.BrokerInfo;
import io.jemq.mgmt.sys.SysModule;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status}, {@code broker [stats|metrics]} and {@code cluster status}: the node, as EMQ's {@code emqttd_cli}
 * prints it ({@code Node 'jemq@127.0.0.1' is started}, {@code sysdescr  : …}, {@code clients/count       : 3}).
 */
final class NodeCommands {
    private NodeCommands() {
    }

    static long uptimeSeconds(Broker broker) {
        return broker.module(SysModule.class).map(SysModule::uptimeSeconds)
                .orElse(ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    }

    /** {@code status}. */
    static final class Status extends CtlCommand {
        private final Broker broker;

        Status(Broker broker) {
            this.broker = broker;
        }

        @Override
        public List<String> usage() {
            return List.of(line("status", "Show broker status"));
        }

        @Override
        protected int run(Args args, PrintWriter out) {
            if (args.size() != 0) {
                return usage(out);
            }
            String node = broker.settings().nodeName();
            if (args.json()) {
                printJson(out, Map.of("node", node, "status", "started", "version", BrokerInfo.version()));
            } else {
                out.println("Node '" + node + "' is started");
                out.println("jemq " + BrokerInfo.version() + " is running");
            }
            return ControlCommands.OK;
        }
    }

    /** {@code broker}, {@code broker stats}, {@code broker metrics}. */
    static final class BrokerCommand extends CtlCommand {
        private final Broker broker;

        BrokerCommand(Broker broker) {
            this.broker = broker;
        }

        @Override
        public List<String> usage() {
            return List.of(line("broker", "Show broker version, uptime and description"),
                    line("broker stats", "Show broker statistics of clients, topics, subscribers"),
                    line("broker metrics", "Show metrics of broker"));
        }

        @Override
        protected int run(Args args, PrintWriter out) {
            if (args.size() == 0) {
                Map<String, String> info = new LinkedHashMap<>();
                info.put("sysdescr", BrokerInfo.SYSDESCR);
                info.put("version", BrokerInfo.version());
                info.put("uptime", BrokerInfo.uptime(uptimeSeconds(broker)));
                info.put("datetime", BrokerInfo.datetime(LocalDateTime.now()));
                print(args, out, info, 10);
                return ControlCommands.OK;
            }
            if (args.is("stats")) {
                print(args, out, broker.counters().stats(), 20);
                return ControlCommands.OK;
            }
            if (args.is("metrics")) {
                print(args, out, broker.counters().snapshot(), 24);
                return ControlCommands.OK;
            }
            return usage(out);
        }

        /** EMQ's {@code ~-Ns: ~s} lines, or one JSON object. */
        private static void print(Args args, PrintWriter out, Map<String, ?> values, int width) {
            if (args.json()) {
                printJson(out, values);
                return;
            }
            values.forEach((k, v) -> out.println(String.format("%-" + width + "s: %s", k, v)));
        }
    }

    /** {@code cluster status}: one node until the cluster module comes. */
    static final class Cluster extends CtlCommand {
        private final Broker broker;

        Cluster(Broker broker) {
            this.broker = broker;
        }

        @Override
        public List<String> usage() {
            return List.of(line("cluster status", "Cluster status (this node alone: no cluster yet)"));
        }

        @Override
        protected int run(Args args, PrintWriter out) {
            if (!args.is("status")) {
                return usage(out);
            }
            String node = broker.settings().nodeName();
            if (args.json()) {
                printJson(out, Map.of("running_nodes", List.of(node), "stopped_nodes", List.of()));
            } else {
                out.println("Cluster status: [{running_nodes,['" + node + "']}]");
            }
            return ControlCommands.OK;
        }
    }
}
