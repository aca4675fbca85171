package io.jemq.auth.http;

import io.jemq.api.PlaceholderValues;
import io.jemq.api.SourceUnavailableException;
import io.jemq.auth.http.RequestCounters.Outcome;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the configured requests with {@link HttpClient} (HTTP/1.1, keep-alive connections kept by the client, TLS
 * from {@code auth.http.ssl.*}), at most {@code auth.http.pool_size} at once, and hands back futures: nothing here
 * blocks, so an event loop may call {@link #send}. An answer that is not an answer (connection refused, no answer
 * within {@code auth.http.timeout}, a 5xx, the line of waiting requests full) fails the future with a
 * {@link SourceUnavailableException}, which the broker's failure policy answers. One per settings snapshot;
 * thread-safe.
 */
final class HttpAuthClient {
    /** Requests that may wait for a slot, per slot: as the broker's plugin pools queue 128 per thread. */
    static final int WAITING_PER_SLOT = 128;

    private final HttpClient http;
    private final InFlightLimit limit;
    private final Duration timeout;
    private final RequestCounters counters;

    /** @throws io.jemq.api.ConfigException when a TLS file cannot be read */
    HttpAuthClient(HttpAuthSettings settings, RequestCounters counters) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);    // EMQ's httpc follows redirects too
        SSLContext tls = TlsFiles.context(settings.tls());
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
        this.limit = new InFlightLimit(settings.poolSize(), settings.poolSize() * WAITING_PER_SLOT);
        this.timeout = settings.timeout();
        this.counters = counters;
    }

    /**
     * Sends one request, its parameters filled from {@code values}. Completes on an HTTP client thread (or at once
     * when refused), with the answer or a {@link SourceUnavailableException}; an error is counted here, an answer by
     * whoever reads it.
     */
    CompletableFuture<HttpAnswer> send(HttpRequestSpec spec, PlaceholderValues values) {
        HttpRequest request = spec.request(values, timeout);
        CompletableFuture<HttpAnswer> answer = new CompletableFuture<>();
        long queuedAt = System.nanoTime();
        if (!limit.submit(() -> start(spec, request, answer, queuedAt))) {
            answer.completeExceptionally(unavailable(spec, "too many requests waiting for one of its "
                    + "auth.http.pool_size connections"));
        }
        return answer.whenComplete((a, e) -> {
            if (e != null) {
                counters.count(spec.kind(), Outcome.ERROR);
            }
        });
    }

    private void start(HttpRequestSpec spec, HttpRequest request, CompletableFuture<HttpAnswer> answer,
                       long queuedAt) {
        if (timeout.toNanos() - (System.nanoTime() - queuedAt) <= 0) {
            limit.release();
            answer.completeExceptionally(unavailable(spec, "no connection free within auth.http.timeout ("
                    + Durations.format(timeout) + ")"));
            return;
        }
        attempt(spec, request, answer, queuedAt, true);
    }

    /** Sends once; a kept-alive connection the server had closed meanwhile gets one more try (EMQ retried too). */
    private void attempt(HttpRequestSpec spec, HttpRequest request, CompletableFuture<HttpAnswer> answer,
                         long queuedAt, boolean mayRetry) {
        long left = timeout.toNanos() - (System.nanoTime() - queuedAt);
        CompletableFuture<HttpResponse<String>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (RuntimeException e) {
            limit.release();
            answer.completeExceptionally(unavailable(spec, e.toString()));
            return;
        }
        // the request's own timeout stops waiting for the head; this one covers a body that never ends
        sent.orTimeout(Math.max(left, 1), TimeUnit.NANOSECONDS).whenComplete((r, e) -> {
            if (e != null && mayRetry && closedBeforeAnswer(e)
                    && timeout.toNanos() - (System.nanoTime() - queuedAt) > 0) {
                attempt(spec, request, answer, queuedAt, false);
                return;
            }
            limit.release();
            if (e != null) {
                answer.completeExceptionally(unavailable(spec, describe(e)));
            } else if (r.statusCode() >= 500) {
                answer.completeExceptionally(unavailable(spec, "it answered HTTP " + r.statusCode()));
            } else {
                answer.complete(HttpAnswer.of(r.statusCode(), r.body()));
            }
        });
    }

    /** An I/O failure after connecting (the server closed an idle connection as it was reused), not an outage. */
    private static boolean closedBeforeAnswer(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof IOException && !(cause instanceof ConnectException)
                && !(cause instanceof HttpTimeoutException);
    }

    int inFlight() {
        return limit.inFlight();
    }

    private SourceUnavailableException unavailable(HttpRequestSpec spec, String why) {
        return new SourceUnavailableException("emq_auth_http", spec.kind().key() + " " + spec.method() + " "
                + withoutUserInfo(spec.url()) + ": " + why);
    }

    private String describe(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpConnectTimeoutException) {
            return "no connection within auth.http.connect_timeout";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "no answer within auth.http.timeout (" + Durations.format(timeout) + ")";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.toString();
    }

    /** The URL for a log line: a password in it ({@code http://user:secret@host/}) must not reach the log. */
    static String withoutUserInfo(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
