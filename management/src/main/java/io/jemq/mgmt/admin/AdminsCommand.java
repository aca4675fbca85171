package io.jemq.mgmt.admin;

import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code admins add|passwd|del|list}: EMQ's dashboard command for the HTTP API's admins. Prints {@code ok} when done,
 * as EMQ did, and {@code Error: ...} with exit code 1 otherwise. Runs on the control socket's thread.
 */
public final class AdminsCommand implements ControlCommand {
    private final AdminStore store;

    public AdminsCommand(AdminStore store) {
        this.store = store;
    }

    @Override
    public List<String> usage() {
        return List.of(
                "admins add <Username> <Password> <Tags>   Add dashboard user",
                "admins passwd <Username> <Password>       Reset dashboard user password",
                "admins del <Username>                     Delete dashboard user",
                "admins list                               List dashboard users");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
        try {
            return switch (args.isEmpty() ? "" : args.get(0)) {
                case "add" -> args.size() == 3 || args.size() == 4
                        ? done(out, store.add(args.get(1), args.get(2), args.size() == 4 ? args.get(3) : ""),
                        "user " + args.get(1) + " already exists")
                        : ControlCommands.usage(this, out);
                case "passwd" -> args.size() == 3
                        ? done(out, store.setPassword(args.get(1), args.get(2)), "no such user " + args.get(1))
                        : ControlCommands.usage(this, out);
                case "del" -> args.size() == 2
                        ? done(out, store.remove(args.get(1)), "no such user " + args.get(1))
                        : ControlCommands.usage(this, out);
                case "list" -> args.size() == 1 ? list(out) : ControlCommands.usage(this, out);
                default -> ControlCommands.usage(this, out);
            };
        } catch (IllegalArgumentException | UncheckedIOException e) {
            out.println("Error: " + e.getMessage());
            return ControlCommands.FAILED;
        }
    }

    private int list(PrintWriter out) {
        for (Admin a : store.list()) {
            out.println("Admin(" + a.username() + ", tags=" + a.tags() + ")");
        }
        if (store.defaultPasswordInUse()) {
            out.println("Warning: admin still has the shipped password; change it: admins passwd admin <Password>");
        }
        return ControlCommands.OK;
    }

    private static int done(PrintWriter out, boolean ok, String otherwise) {
        out.println(ok ? "ok" : "Error: " + otherwise);
        return ok ? ControlCommands.OK : ControlCommands.FAILED;
    }
}
