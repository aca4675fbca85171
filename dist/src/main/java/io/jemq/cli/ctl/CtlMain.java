package io.jemq.cli.ctl;

import io.jemq.ctl.ControlClient;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/jemq ctl <command> [<args>]}: runs one control command in the running broker through its Unix socket
 * ({@code node.ctl_socket}) and prints the answer. The commands live in the broker; {@code bin/jemq ctl help} lists
 * them and {@code bin/jemq ctl <command> --help} explains one; {@code --json} (anywhere) asks for JSON.
 */
public final class CtlMain {
    static final String DEFAULT_SOCKET = "data/jemq.ctl.sock";
    static final int NOT_RUNNING = 1;
    static final int USAGE = 2;

    private CtlMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the exit code: the command's (0 ok, 1 failed, 2 bad usage), or 1 when no broker answers */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path socket = Path.of(DEFAULT_SOCKET);
        List<String> command = new ArrayList<>(args);
        if (!command.isEmpty() && command.get(0).startsWith("--socket")) {
            String option = command.remove(0);
            if (option.startsWith("--socket=")) {
                socket = Path.of(option.substring("--socket=".length()));
            } else if (!command.isEmpty()) {
                socket = Path.of(command.remove(0));
            } else {
                err.println("jemq ctl: --socket needs a path");
                return USAGE;
            }
        }
        // "ctl --json clients list" as well as "ctl clients list --json": the commands look for it among their words
        if (command.remove("--json")) {
            command.add("--json");
        }
        boolean ownHelp = command.isEmpty() || command.get(0).equals("--help") || command.get(0).equals("-h");
        if (ownHelp) {
            out.println("Usage: bin/jemq ctl [--socket PATH] [--json] <command> [<args>]");
            out.println("Runs a control command in the running broker (socket: " + socket + ", node.ctl_socket).");
            command = List.of("help");
        }
        if (!Files.exists(socket)) {
            err.println("jemq ctl: no broker answers on " + socket + ": is jemq running (bin/jemq start), with "
                    + "node.ctl_socket set to that path?");
            return ownHelp && args.isEmpty() ? USAGE : NOT_RUNNING;
        }
        try {
            ControlClient.Reply reply = ControlClient.send(socket, command);
            out.print(reply.output());
            out.flush();
            return ownHelp ? (args.isEmpty() ? USAGE : 0) : reply.code();
        } catch (IOException e) {
            err.println("jemq ctl: cannot reach the broker on " + socket + ": " + e.getMessage());
            return NOT_RUNNING;
        }
    }
}
