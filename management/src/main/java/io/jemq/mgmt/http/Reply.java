package io.jemq.mgmt.http;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An answer an endpoint makes whole itself (plain text, the Prometheus exposition) instead of the JSON envelope.
 *
 * @param headers extra response headers
 */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Reply {
        headers = Map.copyOf(headers);
    }

    public static Reply text(int status, String text) {
        return new Reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** A JSON body written by the API's mapper. */
    public static Reply json(int status, Object body) {
        try {
            return new Reply(status, "application/json", Json.MAPPER.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new HashMap<>(headers);
        more.put(name, value);
        return new Reply(status, contentType, body, more);
    }
}
