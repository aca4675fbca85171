package io.jemq.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A command sent as a list of arguments, such as Redis's {@code HMGET mqtt_user:%u password salt}: split on white
 * space once, at config load, into argument templates; per request {@link #arguments} fills each argument on its own.
 * A placeholder stays inside its argument: a username {@code a b} gives the one argument {@code mqtt_user:a b}, and a
 * username {@code x password} cannot add an argument. Every occurrence is filled (EMQ 2.x filled only the first
 * {@code %u} and {@code %c}). Made by {@link Placeholders#command}; immutable and thread-safe.
 */
public final class CommandTemplate {
    private final String source;
    private final List<Template> arguments;

    private CommandTemplate(String source, List<Template> arguments) {
        this.source = source;
        this.arguments = arguments;
    }

    /** @throws IllegalArgumentException phrased to follow "expected" ({@link Settings#invalid}) */
    static CommandTemplate parse(String command, Set<Placeholder> available) {
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("a command such as HMGET mqtt_user:%u password");
        }
        List<Template> args = new ArrayList<>();
        for (String word : command.strip().split("\\s+")) {
            args.add(Template.parse(word, available));
        }
        return new CommandTemplate(command, List.copyOf(args));
    }

    /** The command as configured. */
    public String source() {
        return source;
    }

    /** The argument templates, the command's name first. */
    public List<Template> templates() {
        return arguments;
    }

    /** The arguments for one request, each filled on its own (an absent value is empty text). */
    public List<String> arguments(PlaceholderValues values) {
        List<String> out = new ArrayList<>(arguments.size());
        for (Template t : arguments) {
            out.add(t.render(values));
        }
        return out;
    }

    /** The slots whose value is absent in {@code values}: asking with an empty key would ask for another key. */
    public Set<Placeholder> unfilled(PlaceholderValues values) {
        Set<Placeholder> out = EnumSet.noneOf(Placeholder.class);
        arguments.forEach(t -> out.addAll(t.unfilled(values)));
        return out;
    }

    @Override
    public String toString() {
        return source;
    }
}
