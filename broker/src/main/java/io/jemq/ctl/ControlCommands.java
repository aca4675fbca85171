package io.jemq.ctl;

import io.jemq.api.ControlCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands {@code bin/jemq ctl} can run, by name. Parts of the broker register theirs (a plugin while it is
 * loaded). Runs {@code help} and {@code <command> --help} itself. Thread-safe.
 */
public final class ControlCommands {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private final Map<String, ControlCommand> commands = new ConcurrentHashMap<>();

    public void register(String name, ControlCommand command) {
        commands.put(name, command);
    }

    public void unregister(String name) {
        commands.remove(name);
    }

    /** @return the exit code */
    public int run(List<String> args, PrintWriter out) {
        if (args.isEmpty() || isHelp(args.get(0)) || args.get(0).equals("help")) {
            help(out);
            return args.isEmpty() ? USAGE : OK;
        }
        ControlCommand c = commands.get(args.get(0));
        if (c == null) {
            out.println("unknown command '" + args.get(0) + "'");
            help(out);
            return USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.stream().anyMatch(ControlCommands::isHelp)) {
            c.usage().forEach(out::println);
            return OK;
        }
        try {
            return c.run(rest, out);
        } catch (RuntimeException e) {
            out.println(args.get(0) + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    private void help(PrintWriter out) {
        out.println("Usage: bin/jemq ctl <command> [<args>]   (bin/jemq ctl <command> --help for one command)");
        new TreeMap<>(commands).values().forEach(c -> c.usage().forEach(line -> out.println("  " + line)));
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /** Prints the usage of a command that was called wrongly. @return {@link #USAGE} */
    public static int usage(ControlCommand c, PrintWriter out) {
        out.println("Usage:");
        c.usage().forEach(line -> out.println("  " + line));
        return USAGE;
    }
}
