package io.jemq.access.acl;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import io.jemq.routing.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of an acl.conf file, split as EMQ splits them into a publish list and a subscribe list, each in file
 * order ({@code pubsub} rules and {@code {allow|deny, all}} in both). The first rule that matches decides; when none
 * does the answer is IGNORE. Immutable.
 */
public final class AclRules {
    public static final AclRules EMPTY = new AclRules(List.of(), List.of(), 0);

    private final AclRule[] publish;
    private final AclRule[] subscribe;
    private final int size;

    private AclRules(List<AclRule> publish, List<AclRule> subscribe, int size) {
        this.publish = publish.toArray(AclRule[]::new);
        this.subscribe = subscribe.toArray(AclRule[]::new);
        this.size = size;
    }

    /** Parses acl.conf text. @throws AclSyntaxException at the first problem, with its line and column */
    public static AclRules parse(String text) {
        List<AclRule> all = new ArrayList<>();
        for (Term t : TermReader.read(text)) {
            all.add(rule(t));
        }
        List<AclRule> pub = new ArrayList<>();
        List<AclRule> sub = new ArrayList<>();
        for (AclRule r : all) {
            if (r.publish()) {
                pub.add(r);
            }
            if (r.subscribe()) {
                sub.add(r);
            }
        }
        return new AclRules(pub, sub, all.size());
    }

    public int size() {
        return size;
    }

    public AclResult check(ClientInfo client, Access access, String topic) {
        AclRule r = deciding(client, access, topic);
        return r == null ? AclResult.IGNORE : r.allow() ? AclResult.ALLOW : AclResult.DENY;
    }

    /** The first rule that matches, which decides the check; null when none does (IGNORE). */
    public AclRule deciding(ClientInfo client, Access access, String topic) {
        for (AclRule r : access == Access.PUBLISH ? publish : subscribe) {
            if (r.matches(client, topic)) {
                return r;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- terms → rules

    private static AclRule rule(Term t) {
        if (!(t instanceof Term.Tuple tuple) || tuple.elements().size() != 2 && tuple.elements().size() != 4) {
            throw error(t, "expected a rule {allow|deny, Who, Access, [Topics]} or {allow|deny, all}, got "
                    + t.describe());
        }
        List<Term> e = tuple.elements();
        boolean allow = permission(e.get(0));
        if (e.size() == 2) {
            if (!isAtom(e.get(1), "all")) {
                throw error(e.get(1), "expected all in a two-element rule {" + (allow ? "allow" : "deny")
                        + ", all}, got " + e.get(1).describe());
            }
            return new AclRule(allow, new Who.Everyone(), true, true, null, t.line());
        }
        Who who = who(e.get(1), 0);
        Term access = e.get(2);
        boolean pub = isAtom(access, "publish") || isAtom(access, "pubsub");
        boolean sub = isAtom(access, "subscribe") || isAtom(access, "pubsub");
        if (!pub && !sub) {
            throw error(access, "expected subscribe, publish or pubsub, got " + access.describe());
        }
        return new AclRule(allow, who, pub, sub, topics(e.get(3)), t.line());
    }

    private static boolean permission(Term t) {
        if (isAtom(t, "allow")) {
            return true;
        }
        if (isAtom(t, "deny")) {
            return false;
        }
        throw error(t, "expected allow or deny, got " + t.describe());
    }

    private static Who who(Term t, int depth) {
        if (isAtom(t, "all")) {
            return new Who.Everyone();
        }
        String expected = "expected all, {user, \"name\"}, {client, \"id\"}, {ipaddr, \"CIDR\"}, {'and', [...]} or "
                + "{'or', [...]}";
        if (!(t instanceof Term.Tuple tuple) || tuple.elements().size() != 2
                || !(tuple.elements().get(0) instanceof Term.Atom kind)) {
            throw error(t, expected + ", got " + t.describe());
        }
        Term arg = tuple.elements().get(1);
        switch (kind.name()) {
            case "user", "client" -> {
                if (isAtom(arg, "all")) {
                    return new Who.Everyone();
                }
                String name = string(arg, "a " + kind.name() + " name in double quotes, or all");
                return kind.name().equals("user") ? new Who.User(name) : new Who.Client(name);
            }
            case "ipaddr" -> {
                String cidr = string(arg, "an IP address or CIDR block in double quotes");
                try {
                    return new Who.IpAddr(Cidr.parse(cidr));
                } catch (IllegalArgumentException e) {
                    throw error(arg, e.getMessage());
                }
            }
            case "and", "or" -> {
                if (!(arg instanceof Term.ListTerm list)) {
                    throw error(arg, "expected a list [...] of who terms after '" + kind.name() + "', got "
                            + arg.describe());
                }
                List<Who> members = new ArrayList<>();
                for (Term m : list.elements()) {
                    members.add(who(m, depth + 1));
                }
                return kind.name().equals("and") ? new Who.And(List.copyOf(members)) : new Who.Or(List.copyOf(members));
            }
            default -> throw error(t, expected + ", got {" + kind.name() + ", ...}");
        }
    }

    private static List<TopicRule> topics(Term t) {
        if (!(t instanceof Term.ListTerm list)) {
            throw error(t, "expected a list of topics such as [\"a/#\", {eq, \"#\"}], got " + t.describe());
        }
        List<TopicRule> topics = new ArrayList<>();
        for (Term item : list.elements()) {
            if (item instanceof Term.Tuple eq && eq.elements().size() == 2 && isAtom(eq.elements().get(0), "eq")) {
                topics.add(TopicRule.eq(filter(eq.elements().get(1))));
            } else if (item instanceof Term.Str) {
                topics.add(TopicRule.filter(filter(item)));
            } else {
                throw error(item, "expected a topic filter \"...\" or {eq, \"...\"}, got " + item.describe());
            }
        }
        return List.copyOf(topics);
    }

    private static String filter(Term t) {
        String f = string(t, "a topic filter in double quotes");
        if (!Topics.isValidFilter(f, 0)) {
            throw error(t, "not a valid topic filter: \"" + f + "\" (+ and # must fill a whole level, # only last)");
        }
        return f;
    }

    private static String string(Term t, String expected) {
        if (t instanceof Term.Str s) {
            return s.text();
        }
        throw error(t, "expected " + expected + ", got " + t.describe());
    }

    private static boolean isAtom(Term t, String name) {
        return t instanceof Term.Atom a && a.name().equals(name);
    }

    private static AclSyntaxException error(Term t, String problem) {
        return new AclSyntaxException(t.line(), t.column(), problem);
    }
}
