package io.jemq.bench;

import io.jemq.bench.scenario.FanIn;
import io.jemq.bench.scenario.FanOut;
import io.jemq.bench.scenario.Idle;
import io.jemq.bench.scenario.Latency;
import io.jemq.bench.scenario.Qos1;
import io.jemq.bench.scenario.Qos2;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load generator: one scenario per run, a status line a second on stderr, one {@code key=value} result line on
 * stdout. Exit code 0 when the run completed (loss is reported, not failed on), 2 when it could not be carried out.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "jemq loadgen 0.1",
        description = "MQTT load generator for comparing brokers side by side.",
        subcommands = {FanIn.class, FanOut.class, Qos1.class, Qos2.class, Latency.class, Idle.class,
                CommandLine.HelpCommand.class})
public final class LoadGen implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a scenario: fanin, fanout, qos1, latency or idle");
    }

    public static void main(String[] args) {
        // the sampling leak detector is on by default and shows up in profiles of the hot path; tests keep it on
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(new CommandLine(new LoadGen()).execute(args));
    }
}
