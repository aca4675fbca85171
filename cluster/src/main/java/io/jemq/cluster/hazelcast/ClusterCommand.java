package io.jemq.cluster.hazelcast;

import io.jemq.api.ControlCommand;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * {@code ctl cluster}: join (manual discovery), leave, force-leave a gone node's leftovers, status. Runs on the
 * control server's thread; a join waits for Hazelcast to form the cluster (seconds).
 */
final class ClusterCommand implements ControlCommand {
    private final ClusterModule module;

    ClusterCommand(ClusterModule module) {
        this.module = module;
    }

    @Override
    public List<String> usage() {
        return List.of("cluster join <host:port>       Join the cluster of the node whose cluster.listen that is"
                        + " (remembered: a restart joins again)",
                "cluster leave                  Leave the cluster and forget the joined node (this node goes on"
                        + " alone)",
                "cluster force-leave <node>     Drop the routes and client ids a gone node left in the tables",
                "cluster status                 Members, their routes and the message links");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
        String sub = args.isEmpty() ? "status" : args.get(0);
        switch (sub) {
            case "status" -> status(out);
            case "join" -> {
                return join(args, out);
            }
            case "leave" -> out.println(module.leave() ? "left the cluster" : "not in a cluster");
            case "force-leave" -> {
                if (args.size() != 2) {
                    return 2;
                }
                ClusterMember m = module.member().orElse(null);
                if (m == null || !m.forceLeave(args.get(1))) {
                    out.println(m == null ? "not in a cluster" : args.get(1) + " is a member: it must leave itself");
                    return 1;
                }
                out.println("dropped what " + args.get(1) + " left in the tables");
            }
            default -> {
                return 2;
            }
        }
        return 0;
    }

    private int join(List<String> args, PrintWriter out) {
        if (args.size() != 2) {
            return 2;
        }
        String target = args.get(1);
        InetSocketAddress seed = ClusterSettings.address(target.substring(target.indexOf('@') + 1));
        if (seed == null) {
            out.println("expected host:port (the other node's cluster.listen), got " + target);
            return 2;
        }
        try {
            module.join(seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        out.println("joined: " + String.join(", ", module.members()));
        return 0;
    }

    private void status(PrintWriter out) {
        out.println("cluster: " + module.settings().clusterName() + (module.running() ? "" : " (not joined)"));
        out.println("running_nodes: " + String.join(", ", module.members()));
        for (Map.Entry<String, Integer> e : module.routeCounts().entrySet()) {
            out.println("routes " + e.getKey() + ": " + e.getValue());
        }
        module.rememberedSeeds().forEach(s -> out.println("joins at start: " + s.getHostString() + ":" + s.getPort()));
        module.member().ifPresent(m -> {
            m.links().forEach((node, state) -> out.println("link " + node + ": " + state));
            m.remoteGroups().forEach(g -> out.println("share group " + g));
            out.println("client ids: " + m.clientCount());
        });
    }
}
