package io.jemq.access;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a publish or subscribe check is answered as it is: the answer, who decided it and each source's answer in the
 * order asked. Made by {@link AclChain#explain} and {@link ClientAcl#explain} with the same walk as the real check,
 * changing no cache; read by management ({@code GET /api/v2/acl/explain}, {@code ctl acl explain}, the dashboard).
 *
 * @param allowed   the answer
 * @param decidedBy {@code superuser}, {@code cache}, a source's name ({@code acl.conf}, {@code emq_auth_http}) or
 *                  {@code acl_nomatch}
 * @param reason    one sentence: why
 * @param steps     each source asked, in order; empty for a superuser
 */
public record AclExplanation(boolean allowed, String decidedBy, String reason, List<Step> steps) {

    public AclExplanation {
        steps = List.copyOf(steps);
    }

    /**
     * One source's answer.
     *
     * @param source its name
     * @param answer {@code allow}, {@code deny}, {@code ignore}, {@code failed} or {@code not asked}
     * @param notes  what the source or the chain said of it: the acl.conf rule, a cache hit, a failure
     */
    public record Step(String source, String answer, List<String> notes) {
        public Step {
            notes = List.copyOf(notes);
        }
    }

    /** As text, a line each: what {@code ctl acl explain} prints. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add((allowed ? "allow" : "deny") + ", decided by " + decidedBy + ": " + reason);
        int n = 1;
        for (Step s : steps) {
            out.add("  " + n++ + ". " + s.source() + ": " + s.answer());
            for (String note : s.notes()) {
                out.add("       " + note);
            }
        }
        return out;
    }
}
