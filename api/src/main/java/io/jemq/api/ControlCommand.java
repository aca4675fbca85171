package io.jemq.api;

import java.io.PrintWriter;
import java.util.List;

/**
 * One command of {@code bin/jemq ctl}, such as {@code users} or {@code plugins}, registered by the part of the broker
 * that owns it or by a plugin ({@link Plugin#commands()}, available while it is loaded). Both methods run on the
 * control server's thread, one request at a time: they may block briefly (a file, a query), never forever.
 */
public interface ControlCommand {
    /** Usage lines, one per form, for {@code ctl help}: {@code users add <Username> <Password>   Add a user}. */
    List<String> usage();

    /**
     * @param args the words after the command's name
     * @param out  what the user sees
     * @return the exit code: 0 done, 1 failed (say why on {@code out}), 2 bad usage
     */
    int run(List<String> args, PrintWriter out);

    /**
     * Whether the command answers {@code --json} itself. When it does not, {@code bin/jemq ctl <command> --json}
     * still gives scripts JSON: the broker runs it without the flag and wraps its lines as
     * {@code {"code": 0, "output": ["line", ...]}}.
     */
    default boolean printsJson() {
        return false;
    }
}
