package io.jemq.mgmt.ctl;

import io.jemq.Broker;
import io.jemq.ctl.ControlCommands;
import io.jemq.session.SessionSnapshot;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code sessions list [persistent|transient] | show <ClientId>}, a line as EMQ's: {@code Session(c1,
 * clean_sess=true, subscriptions=2, max_inflight=32, inflight=0, mqueue_len=0, mqueue_dropped=0, awaiting_rel=0,
 * deliver_msg=5, enqueue_msg=5, created_at=1765016401)}. {@code enqueue_msg} counts every message that reached the
 * session: delivered, queued now, or dropped from its queue.
 */
final class SessionsCommand extends CtlCommand {
    private final Broker broker;

    SessionsCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public List<String> usage() {
        return List.of(line("sessions list", "List all sessions"),
                line("sessions list persistent", "List all persistent sessions"),
                line("sessions list transient", "List all transient sessions"),
                line("sessions show <ClientId>", "Show a session"));
    }

    @Override
    protected int run(Args args, PrintWriter out) {
        if (args.size() >= 1 && args.size() <= 2 && args.get(0).equals("list")) {
            Predicate<SessionSnapshot> which;
            if (args.size() == 1) {
                which = s -> true;
            } else if (args.get(1).equals("persistent")) {
                which = s -> !s.clean();
            } else if (args.get(1).equals("transient")) {
                which = SessionSnapshot::clean;
            } else {
                return usage(out);
            }
            List<SessionSnapshot> all = await(broker.sessionsView().sessions()).stream().filter(which).toList();
            if (args.json()) {
                printJson(out, all.stream().map(this::json).toList());
            } else {
                all.forEach(s -> out.println(line(s)));
            }
            return ControlCommands.OK;
        }
        if (args.size() == 2 && args.get(0).equals("show")) {
            Optional<SessionSnapshot> s = await(broker.sessionsView().session(args.get(1)));
            if (s.isEmpty()) {
                return say(args, out, false, "Not Found.");
            }
            if (args.json()) {
                printJson(out, json(s.get()));
            } else {
                out.println(line(s.get()));
            }
            return ControlCommands.OK;
        }
        return usage(out);
    }

    private String line(SessionSnapshot s) {
        return "Session(" + s.clientId() + ", clean_sess=" + s.clean() + ", subscriptions=" + s.subscriptions()
                + ", max_inflight=" + maxInflight() + ", inflight=" + s.inflight() + ", mqueue_len=" + s.queued()
                + ", mqueue_dropped=" + s.dropped() + ", awaiting_rel=" + s.awaitingRel() + ", deliver_msg="
                + s.delivered() + ", enqueue_msg=" + enqueued(s) + ", created_at=" + s.createdAtMillis() / 1000 + ")";
    }

    private int maxInflight() {
        return broker.settings().session().maxInflight();
    }

    private static long enqueued(SessionSnapshot s) {
        return s.delivered() + s.queued() + s.dropped();
    }

    /** The REST API's session fields (REFERENCE 2.12). */
    private Map<String, Object> json(SessionSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", s.clientId());
        m.put("clean_sess", s.clean());
        m.put("subscriptions", s.subscriptions());
        m.put("max_inflight", maxInflight());
        m.put("inflight_len", s.inflight());
        m.put("mqueue_len", s.queued());
        m.put("mqueue_dropped", s.dropped());
        m.put("awaiting_rel_len", s.awaitingRel());
        m.put("deliver_msg", s.delivered());
        m.put("enqueue_msg", enqueued(s));
        m.put("created_at", s.createdAtMillis() / 1000);
        m.put("connected", s.connected());
        return m;
    }
}
