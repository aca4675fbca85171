package io.jemq.dashboard;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP authorization server for the tests (the JDK's com.sun.net.httpserver on a free port): records every
 * request (method, path and form or query) and allows each with 200.
 */
final class AuthServer implements AutoCloseable {
    /** One request as the server saw it. */
    record Request(String method, String path, String params) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    AuthServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    body.isEmpty() && query != null ? query : body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests whose parameters hold {@code text} (e.g. the URL-encoded topic). */
    long count(String text) {
        return requests.stream().filter(r -> r.params().contains(text)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
