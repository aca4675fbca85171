package io.jemq.mgmt.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as an endpoint sees it, made on the listener's thread and handed to the API's threads: a copy, so
 * it holds no Netty buffer.
 *
 * @param method     {@code GET}, {@code POST}...
 * @param path       the decoded path, e.g. {@code /api/v2/clients/c1}
 * @param pathParams the {@code {name}} parts of the route that matched, decoded
 * @param query      the query string's parameters
 * @param body       the request body, empty when none
 * @param peer       the client's address
 * @param admin      the admin who authenticated, or null on an open route
 */
public record Call(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                   HttpHeaders headers, byte[] body, InetSocketAddress peer, String admin) {

    /** This call, made by that admin. */
    public Call as(String adminName) {
        return new Call(method, path, pathParams, query, headers, body, peer, adminName);
    }

    /** A path parameter of the route, such as {@code id} in {@code /api/v2/clients/{id}}. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no {" + name + "}");
        }
        return v;
    }

    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as a JSON object; anything else is EMQ's 109. */
    public JsonNode json() {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest(ApiError.NOT_JSON, "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(ApiError.NOT_JSON, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest(ApiError.NOT_JSON, "the body is not JSON");
        }
    }

    /** A form-encoded body ({@code a=1&b=2}), as {@code POST /mqtt/publish} takes it; query parameters too. */
    public Map<String, List<String>> form() {
        String text = new String(body, StandardCharsets.UTF_8);
        Map<String, List<String>> params = new LinkedHashMap<>(query);
        new QueryStringDecoder(text, StandardCharsets.UTF_8, false).parameters().forEach(params::put);
        return params;
    }
}
