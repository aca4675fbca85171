package io.jemq.mgmt.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jemq.api.ControlCommand;
import io.jemq.ctl.ControlCommands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code bin/jemq ctl} command of management: EMQ's output lines by default, JSON with {@code --json} (anywhere
 * among the words) for scripts. {@code --help} is answered by the broker's {@link ControlCommands} from
 * {@link #usage()}. Runs on the control server's thread, one request at a time; what it asks the broker's loops for
 * it waits on for a few seconds at most.
 */
public abstract class CtlCommand implements ControlCommand {
    public static final String JSON_FLAG = ControlCommands.JSON_FLAG;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long WAIT_SECONDS = 5;

    /** The words after the command's name, without {@code --json}, and whether it was given. */
    protected record Args(List<String> words, boolean json) {
        public int size() {
            return words.size();
        }

        public String get(int i) {
            return words.get(i);
        }

        public boolean is(String... expected) {
            return words.equals(List.of(expected));
        }
    }

    @Override
    public final boolean printsJson() {
        return true;
    }

    @Override
    public final int run(List<String> args, PrintWriter out) {
        List<String> words = new ArrayList<>(args);
        boolean json = words.remove(JSON_FLAG);
        return run(new Args(List.copyOf(words), json), out);
    }

    /** @return the exit code: 0 done, 1 failed (said why), 2 bad usage ({@link #usage(PrintWriter)}) */
    protected abstract int run(Args args, PrintWriter out);

    /** The usage, for a command called wrongly. @return 2 */
    protected int usage(PrintWriter out) {
        return ControlCommands.usage(this, out);
    }

    /** A usage line as EMQ aligns them: the form, then what it does. */
    protected static String line(String form, String what) {
        return form.length() < 36 ? String.format("%-36s%s", form, what) : form + "  " + what;
    }

    protected static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot show as JSON: " + e.getMessage(), e);
        }
    }

    /** A one-line answer ({@code ok}, {@code Not Found.}), or {@code {"result":…,"message":…}} for scripts. */
    protected static int say(Args args, PrintWriter out, boolean ok, String message) {
        if (args.json()) {
            printJson(out, Map.of("result", ok ? "ok" : "error", "message", message));
        } else {
            out.println(message);
        }
        return ok ? ControlCommands.OK : ControlCommands.FAILED;
    }

    /** Waits for what the broker's loops answer. */
    protected static <T> T await(CompletableFuture<T> answer) {
        try {
            return answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + WAIT_SECONDS + " s");
        }
    }

    /** EMQ's {@code undefined} for a missing value. */
    protected static String orUndefined(Object value) {
        return value == null ? "undefined" : value.toString();
    }
}
