package io.jemq.access;

import io.jemq.api.ConfigException;
import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code acl reload}: re-reads acl.conf and empties every connection's ACL cache; a broken file changes nothing.
 * {@code acl explain}: why a publish or subscribe would be allowed or denied, changing no cache.
 */
public final class AclCommand implements ControlCommand {
    private static final long EXPLAIN_TIMEOUT_SECONDS = 30;
    private final AclChain chain;
    private final AclExplainer explainer;

    public AclCommand(AclChain chain, AclExplainer explainer) {
        this.chain = chain;
        this.explainer = explainer;
    }

    @Override
    public List<String> usage() {
        return List.of("acl reload                          Re-read acl.conf and empty the ACL caches",
                "acl explain <ClientId|--username U --ip A> <publish|subscribe> <Topic>",
                "                                    Which source allows or denies it, and why");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
        if (!args.isEmpty() && args.get(0).equals("explain")) {
            return explain(args.subList(1, args.size()), out);
        }
        if (!args.equals(List.of("reload"))) {
            return ControlCommands.usage(this, out);
        }
        try {
            int rules = chain.internal().reload();
            chain.clearCaches();
            out.println("reload acl_internal successfully: " + rules + " rule(s)");
            return ControlCommands.OK;
        } catch (ConfigException e) {
            out.println("acl.conf not reloaded, the old rules stay in force: " + e.getMessage());
            return ControlCommands.FAILED;
        }
    }

    private int explain(List<String> args, PrintWriter out) {
        CompletableFuture<AclExplanation> answer;
        try {
            if (args.size() == 3) {
                answer = explainer.byClientId(args.get(0), AclExplainer.access(args.get(1)), args.get(2));
            } else if (args.size() >= 4 && args.get(0).equals("--username")) {
                List<String> rest = args.subList(2, args.size());
                String ip = rest.size() == 4 && rest.get(0).equals("--ip") ? rest.get(1) : null;
                if (rest.size() != (ip == null ? 2 : 4)) {
                    return ControlCommands.usage(this, out);
                }
                List<String> check = rest.subList(rest.size() - 2, rest.size());
                answer = explainer.byUsername(args.get(1), ip, AclExplainer.access(check.get(0)), check.get(1));
            } else {
                return ControlCommands.usage(this, out);
            }
            answer.get(EXPLAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).lines().forEach(out::println);
            return ControlCommands.OK;
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            return ControlCommands.FAILED;
        } catch (ExecutionException | TimeoutException e) {
            out.println("cannot explain: " + e);
            return ControlCommands.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlCommands.FAILED;
        }
    }
}
