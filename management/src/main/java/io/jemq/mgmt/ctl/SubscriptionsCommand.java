package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.session.SessionSnapshot;
import io.jemq.session.SubscriptionSnapshot;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code subscriptions list | show <ClientId> | add <ClientId> <Topic> <QoS> | del <ClientId> <Topic>}. Lines read
 * as EMQ's {@code <ClientId> -> <Topic>}; add and del act on the client's session (connected or kept), as an operator,
 * without an ACL check.
 */
final class SubscriptionsCommand extends CtlCommand {
    private final Broker broker;

    SubscriptionsCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> usage() {
        return List.of(line("subscriptions list", "List all subscriptions"),
                line("subscriptions show <ClientId>", "Show subscriptions of a client"),
                line("subscriptions add <ClientId> <Topic> <QoS>", "Add a static subscription manually"),
                line("subscriptions del <ClientId> <Topic>", "Delete a static subscription manually"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (args.is("list")) {
            List<SubscriptionSnapshot> all = new ArrayList<>();
            for (SessionSnapshot s : await(broker.sessionsView().sessions())) {
                all.addAll(await(broker.sessionsView().subscriptions(s.clientId())));
            }
            print(args, out, all);
            return ControlCommands.OK;
        }
        if (args.size() == 2 && args.get(0).equals("show")) {
            List<SubscriptionSnapshot> subs = await(broker.sessionsView().subscriptions(args.get(1)));
            if (subs.isEmpty()) {
                return say(args, out, false, "Not Found.");
            }
            print(args, out, subs);
            return ControlCommands.OK;
        }
        if (args.size() == 4 && args.get(0).equals("add")) {
            return add(args, out);
        }
        if (args.size() == 3 && args.get(0).equals("del")) {
            TopicFilter filter = filter(args.get(2));
            if (filter == null) {
                return say(args, out, false, "Error: bad topic filter " + args.get(2));
            }
            if (broker.sessions().get(args.get(1)) == null) {
                return say(args, out, false, "Error: Session not found!");
            }
            await(broker.sessionsView().unsubscribe(args.get(1), filter));
            return say(args, out, true, "ok");
        }
        return usage(out);
    }

    private int add(Args args, PrintWriter out) {
        int qos;
        try {
            qos = Integer.parseInt(args.get(3));
        } catch (NumberFormatException e) {
            qos = -1;
        }
        if (qos < 0 || qos > 2) {
            return say(args, out, false, "QoS should be 0, 1, 2");
        }
        TopicFilter filter = filter(args.get(2));
        if (filter == null) {
            return say(args, out, false, "Error: bad topic filter " + args.get(2));
        }
        boolean done = await(broker.sessionsView().subscribe(args.get(1), filter,
                new SubOptions(qos, false, false, 0, 0)));
        return done ? say(args, out, true, "ok") : say(args, out, false, "Error: Session not found!");
    }

    private TopicFilter filter(String text) {
        try {
            TopicFilter f = TopicFilter.parse(text);
            return Topics.isValidFilter(f.filter(), broker.settings().mqtt().maxTopicLevels()) ? f : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void print(Args args, PrintWriter out, List<SubscriptionSnapshot> subs) {
        if (args.json()) {
            printJson(out, subs.stream().map(s -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("client_id", s.clientId());
                m.put("topic", s.filter());
                m.put("qos", s.qos());
                return m;
            }).toList());
            return;
        }
        subs.forEach(s -> out.println(s.clientId() + " -> " + s.filter()));
    }
}
