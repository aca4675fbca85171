package io.jemq.access;

import io.jemq.api.AclResult;
import io.jemq.api.Authorizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What {@link AclChain} records while it explains a check: each source's answer and notes, in the order asked. Made
 * for one explanation and filled by the chain's walk (on whichever thread each answer arrives, one at a time, since
 * the walk asks the next source only after the previous one answered); the real check passes none.
 */
final class AclTrail {
    private final List<String> sources = new ArrayList<>();
    private final List<String> answers = new ArrayList<>();
    private final List<List<String>> notes = new ArrayList<>();
    private String decider;

    /** A source is being asked: its notes go to its step. */
    synchronized Consumer<String> asking(Authorizer source) {
        sources.add(source.name());
        answers.add("no answer");
        List<String> mine = new ArrayList<>();
        notes.add(mine);
        return note -> {
            synchronized (AclTrail.this) {
                mine.add(note);
            }
        };
    }

    synchronized void answered(AclResult r) {
        answers.set(answers.size() - 1, r.name().toLowerCase(Locale.ROOT));
        if (r != AclResult.IGNORE) {
            decider = sources.get(sources.size() - 1);
        }
    }

    synchronized void note(String note) {
        notes.get(notes.size() - 1).add(note);
    }

    /** The last source asked failed; under the policy IGNORE the walk goes on, under DENY it decided. */
    synchronized void failed(Throwable e, boolean decides) {
        answers.set(answers.size() - 1, "failed");
        note((e == null ? "no answer" : e.toString()) + (decides ? ": its failure policy denies"
                : ": its failure policy ignores it, the next source decides"));
        if (decides) {
            decider = sources.get(sources.size() - 1);
        }
    }

    synchronized AclExplanation finish(AclDecision d, String nomatch) {
        List<AclExplanation.Step> steps = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            steps.add(new AclExplanation.Step(sources.get(i), answers.get(i), notes.get(i)));
        }
        if (decider == null) {
            return new AclExplanation(d.allowed(), "acl_nomatch", "no source has a rule for it: mqtt.acl_nomatch = "
                    + nomatch, steps);
        }
        String why = d == AclDecision.FAILED ? "the source failed and its failure policy is deny"
                : "the first source that did not ignore it answered " + (d.allowed() ? "allow" : "deny");
        return new AclExplanation(d.allowed(), decider, why, steps);
    }
}
