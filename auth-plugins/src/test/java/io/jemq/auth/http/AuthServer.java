package io.jemq.auth.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP auth server on 127.0.0.1 (the JDK's com.sun.net.httpserver), scripted per test: it records every
 * request it gets and answers what {@link #answer} says, by default 200 with an empty body. {@link #hold()} makes it
 * keep requests unanswered until {@link #release()}; {@link #stop()} and {@link #restart()} make it refuse and come
 * back on the same port.
 */
final class AuthServer implements AutoCloseable {
    /** One request as the server received it. */
    record Request(String method, String path, String rawQuery, Map<String, List<String>> headers, String body,
                   String clientSubject) {
        /** The form body (or, for a GET, the query) decoded: exactly the values the broker encoded. */
        Map<String, String> params() {
            return decode(method.equals("GET") ? rawQuery : body);
        }

        String header(String name) {
            List<String> v = headers.get(name.substring(0, 1).toUpperCase() + name.substring(1).toLowerCase());
            return v == null ? null : String.join(",", v);
        }
    }

    /** What the server answers: a status and a body. */
    record Reply(int status, String body) {
        static Reply ok() {
            return new Reply(200, "");
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final SSLContext tls;
    private final boolean needClientCert;
    private volatile Function<Request, Reply> answer = r -> Reply.ok();
    private volatile CountDownLatch held;
    private ExecutorService executor;
    private HttpServer server;
    private volatile boolean listening;
    private int port;

    private AuthServer(SSLContext tls, boolean needClientCert) {
        this.tls = tls;
        this.needClientCert = needClientCert;
        bind(0);
    }

    static AuthServer http() {
        return new AuthServer(null, false);
    }

    /** An https server presenting {@code tls}'s key; asks for a client certificate when {@code needClientCert}. */
    static AuthServer https(SSLContext tls, boolean needClientCert) {
        return new AuthServer(tls, needClientCert);
    }

    private void bind(int onPort) {
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
            if (tls == null) {
                server = HttpServer.create(at, 64);
            } else {
                HttpsServer s = HttpsServer.create(at, 64);
                s.setHttpsConfigurator(new HttpsConfigurator(tls) {
                    @Override
                    public void configure(HttpsParameters params) {
                        javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                        p.setNeedClientAuth(needClientCert);
                        params.setSSLParameters(p);
                    }
                });
                server = s;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        listening = true;
        port = server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String subject = null;
        if (ex instanceof com.sun.net.httpserver.HttpsExchange https) {
            SSLSession session = https.getSSLSession();
            try {
                Certificate[] peer = session.getPeerCertificates();
                subject = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                subject = null;
            }
        }
        Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(), Map.copyOf(ex.getRequestHeaders()), body, subject);
        requests.add(r);
        CountDownLatch hold = held;
        if (hold != null) {
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Reply reply = answer.apply(r);
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port><path>} (https for a TLS server). */
    String url(String path) {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port + path;
    }

    void answer(Function<Request, Reply> how) {
        this.answer = how;
    }

    /** Every request so far, in order of arrival. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    long count(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).count();
    }

    Request last(String path) {
        List<Request> of = requests.stream().filter(r -> r.path().equals(path)).toList();
        if (of.isEmpty()) {
            throw new AssertionError("no request to " + path + " among " + requests);
        }
        return of.get(of.size() - 1);
    }

    void clear() {
        requests.clear();
    }

    /** Requests arriving from now on wait for {@link #release()} (a server that does not answer). */
    void hold() {
        held = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Closes the port: connections are refused until {@link #restart()}. */
    void stop() {
        listening = false;
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    boolean listening() {
        return listening;
    }

    /** Listens again on the same port. */
    void restart() {
        bind(port);
    }

    @Override
    public void close() {
        stop();
    }

    static Map<String, String> decode(String form) {
        Map<String, String> out = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return out;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
