package io.jemq.cli.ctl;

import io.jemq.api.ConfigException;
import io.jemq.config.ConfFile;
import io.jemq.config.NodeSettings;
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
    static final String DEFAULT_CONFIG = "etc/emq.conf";
    static final int NOT_RUNNING = 1;
    static final int USAGE = 2;

    private CtlMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** @return the exit code: the command's (0 ok, 1 failed, 2 bad usage), or 1 when no broker answers */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> command = new ArrayList<>(args);
        Path socket;
        try {
            socket = socket(command).toAbsolutePath();    // the messages name it whole
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("jemq ctl: " + e.getMessage());
            return USAGE;
        }
        boolean noCommand = command.isEmpty();
        // "ctl --json clients list" as well as "ctl clients list --json": the commands look for it among their words
        if (command.remove("--json")) {
            command.add("--json");
        }
        boolean ownHelp = command.isEmpty() || command.get(0).equals("--help") || command.get(0).equals("-h");
        if (ownHelp) {
            out.println("Usage: bin/jemq ctl [--socket PATH | --config FILE] [--json] <command> [<args>]");
            out.println("Runs a control command in the running broker (socket: " + socket + ", node.ctl_socket).");
            command = List.of("help");
        }
        if (!Files.exists(socket)) {
            err.println("jemq ctl: no broker answers on " + socket + ": is jemq running (bin/jemq start), with "
                    + "node.ctl_socket set to that path?");
            return noCommand ? USAGE : NOT_RUNNING;
        }
        try {
            ControlClient.Reply reply = ControlClient.send(socket, command);
            out.print(reply.output());
            out.flush();
            return ownHelp ? (noCommand ? USAGE : 0) : reply.code();
        } catch (IOException e) {
            err.println("jemq ctl: cannot reach the broker on " + socket + ": " + e.getMessage());
            return NOT_RUNNING;
        }
    }

    /**
     * The socket to talk to: {@code --socket PATH}, else {@code node.ctl_socket} of {@code --config FILE}, else of
     * {@code etc/emq.conf} when there is one (the broker's working directory is the jemq home, as is ctl's), else
     * {@value #DEFAULT_SOCKET}. Takes the options off the front of {@code command}.
     */
    static Path socket(List<String> command) {
        String socket = option(command, "--socket");
        String config = option(command, "--config");
        if (socket == null) {
            socket = option(command, "--socket");        // either order
        }
        if (socket != null) {
            return Path.of(socket);
        }
        Path file = Path.of(config == null ? DEFAULT_CONFIG : config);
        if (config == null && !Files.exists(file)) {
            return Path.of(DEFAULT_SOCKET);
        }
        Path fromConfig = NodeSettings.from(ConfFile.load(file)).ctlSocket();
        if (fromConfig == null) {
            throw new IllegalArgumentException("node.ctl_socket is off in " + file
                    + ": the broker takes no control commands (set it to a path and restart the broker)");
        }
        return fromConfig;
    }

    /** The value of {@code name} ({@code name VALUE} or {@code name=VALUE}) when it is the first word, taken off. */
    private static String option(List<String> command, String name) {
        if (command.isEmpty() || !command.get(0).equals(name) && !command.get(0).startsWith(name + "=")) {
            return null;
        }
        String word = command.remove(0);
        if (word.startsWith(name + "=")) {
            return word.substring(name.length() + 1);
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a path");
        }
        return command.remove(0);
    }
}
