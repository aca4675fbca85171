package io.jemq.ctl;

import io.jemq.api.ControlCommand;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code bin/jemq ctl} reaches a command: help, unknown names, and {@code --json} for text-only commands. */
class ControlCommandsTest {
    private final ControlCommands commands = new ControlCommands();

    private static ControlCommand textOnly() {
        return new ControlCommand() {
            @Override
            public List<String> usage() {
                return List.of("users list   List users");
            }

            @Override
            public int run(List<String> args, PrintWriter out) {
                if (!args.equals(List.of("list"))) {
                    return ControlCommands.usage(this, out);
                }
                out.println("alice");
                out.println("b\"ob\\ \u0001");
                return ControlCommands.OK;
            }
        };
    }

    private String run(int expectedCode, String... args) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            assertThat(commands.run(List.of(args), out)).isEqualTo(expectedCode);
        }
        return text.toString();
    }

    @Test
    void aTextOnlyCommandAskedForJsonGivesItsLinesAndCodeAsJson() {
        commands.register("users", textOnly());
        assertThat(run(0, "users", "list")).isEqualTo("alice\nb\"ob\\ \u0001\n");
        assertThat(run(0, "users", "list", "--json"))
                .isEqualTo("{\"code\": 0, \"output\": [\"alice\", \"b\\\"ob\\\\ \\u0001\"]}\n");
        assertThat(run(2, "users", "--json", "wrong")).startsWith("{\"code\": 2, \"output\": [\"Usage:\"");
    }

    @Test
    void helpAndUnknownCommands() {
        commands.register("users", textOnly());
        assertThat(run(0, "users", "--help")).isEqualTo("users list   List users\n");
        assertThat(run(2, "nope")).startsWith("unknown command 'nope'").contains("  users list   List users");
    }
}
