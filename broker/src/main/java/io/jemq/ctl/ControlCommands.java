package io.jemq.ctl;

import io.jemq.api.ControlCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
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
    /** Asks for JSON; anywhere among a command's words. */
    public static final String JSON_FLAG = "--json";

    private final Map<String, ControlCommand> commands = new ConcurrentHashMap<>();

    public void register(String name, ControlCommand command) {
        commands.put(name, command);
    }

    public void unregister(String name) {
        commands.remove(name);
    }

    /** The command registered under that name (a loaded plugin's, such as {@code users}), for management's API. */
    public Optional<ControlCommand> find(String name) {
        return Optional.ofNullable(commands.get(name));
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
        if (!c.printsJson() && rest.contains(JSON_FLAG)) {
            return runAsJson(args.get(0), c, rest, out);
        }
        return runOrSayWhy(args.get(0), c, rest, out);
    }

    private static int runOrSayWhy(String name, ControlCommand c, List<String> rest, PrintWriter out) {
        try {
            return c.run(rest, out);
        } catch (RuntimeException e) {
            out.println(name + " failed: " + e.getMessage());
            return FAILED;
        }
    }

    /** A command that speaks text only, for a script that asked for JSON: its exit code and its lines. */
    private static int runAsJson(String name, ControlCommand c, List<String> rest, PrintWriter out) {
        List<String> words = new ArrayList<>(rest);
        words.removeIf(JSON_FLAG::equals);
        StringWriter text = new StringWriter();
        int code;
        try (PrintWriter w = new PrintWriter(text)) {
            code = runOrSayWhy(name, c, words, w);
        }
        StringJoiner lines = new StringJoiner(", ", "[", "]");
        text.toString().lines().forEach(line -> lines.add(jsonString(line)));
        out.println("{\"code\": " + code + ", \"output\": " + lines + "}");
        return code;
    }

    /** {@code text} as a JSON string literal (RFC 8259: quote, backslash and control characters escaped). */
    static String jsonString(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
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
