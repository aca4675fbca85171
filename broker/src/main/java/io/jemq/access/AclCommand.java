package io.jemq.access;

import io.jemq.api.ConfigException;
import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.util.List;

/** {@code acl reload}: re-reads acl.conf and empties every connection's ACL cache; a broken file changes nothing. */
public final class AclCommand implements ControlCommand {
    private final AclChain chain;

    public AclCommand(AclChain chain) {
        this.chain = chain;
    }

    @Override
    public List<String> usage() {
        return List.of("acl reload                          Re-read acl.conf and empty the ACL caches");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
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
}
