package io.jemq;

import io.jemq.cli.JemqCommand;
import picocli.CommandLine;

/** Entry point of the broker process ({@code bin/jemq console}); the options are described by {@link JemqCommand}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line without {@code System.exit}, for tests and embedding. */
    public static CommandLine commandLine() {
        return new CommandLine(new JemqCommand());
    }
}
