package io.jemq.mgmt.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.mgmt.admin.AdminStore;
import io.jemq.testkit.EmbeddedBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A real HTTP client (java.net.http) against a test broker's management listener, as an admin or as nobody. */
public final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String authorization;

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** As the shipped admin. */
    public static Api of(EmbeddedBroker b) {
        return new Api("http://127.0.0.1:" + port(b), null).as(AdminStore.DEFAULT_USER, AdminStore.DEFAULT_PASSWORD);
    }

    public static int port(EmbeddedBroker b) {
        return b.broker().module(HttpApiModule.class).orElseThrow().port();
    }

    public Api as(String user, String password) {
        return new Api(base, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    public Api anonymous() {
        return new Api(base, null);
    }

    public String base() {
        return base;
    }

    /** An answer: its status, headers and body, and the body as JSON when it is JSON. */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public JsonNode result() {
            JsonNode j = json();
            if (j.path("code").asInt(-1) != 0) {
                throw new AssertionError("not a success (" + status + "): " + body);
            }
            return j.get("result");
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Answer put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public Answer send(String method, String path, String body, String contentType) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
