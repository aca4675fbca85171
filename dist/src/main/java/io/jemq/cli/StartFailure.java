package io.jemq.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.jemq.config.ListenerSettings;

/**
 * The broker could not start its listeners; the message is meant for the operator, e.g.
 * {@code cannot listen on 0.0.0.0:1883: Address already in use}.
 */
public final class StartFailure extends RuntimeException {
    private static final String PREFIX = "cannot listen on ";

    private StartFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Explains why {@code Broker.start()} failed. The core may not say which listener could not bind, so each
     * configured address is tried once more; call this after the broker has been closed, or its own sockets
     * would be taken for the culprit.
     */
    public static StartFailure explain(Throwable failure, List<ListenerSettings> listeners) {
        Throwable cause = unwrap(failure);
        String reason = rootMessage(cause);
        if (reason.startsWith(PREFIX)) {
            return new StartFailure(reason, cause);
        }
        for (ListenerSettings listener : listeners) {
            Optional<String> problem = bindProblem(listener);
            if (problem.isPresent()) {
                return new StartFailure(PREFIX + listener.host() + ":" + listener.port() + ": " + problem.get(), cause);
            }
        }
        return new StartFailure("cannot start the listeners: " + reason, cause);
    }

    private static Optional<String> bindProblem(ListenerSettings listener) {
        if (listener.port() == 0) {
            return Optional.empty();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(listener.host(), listener.port()));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
