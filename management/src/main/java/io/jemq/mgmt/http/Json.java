package io.jemq.mgmt.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/** The API's one Jackson mapper and the checks endpoints make on a JSON body's fields (EMQ's codes 107 and 108). */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** A required string field: absent or empty is 107, another type 108. */
    public static String text(JsonNode body, String field) {
        return optionalText(body, field).filter(s -> !s.isEmpty()).orElseThrow(() -> ApiError.missing(field));
    }

    public static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw ApiError.type(field, "a string");
        }
        return Optional.of(v.asText());
    }

    /** An optional integer field in {@code [min, max]}. */
    public static int integer(JsonNode body, String field, int defaultValue, int min, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw ApiError.type(field, "a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    /** An optional boolean field; EMQ's clients also send 0/1 and "true"/"false". */
    public static boolean bool(JsonNode body, String field, boolean defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
            return v.asInt() == 1;
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw ApiError.type(field, "true or false");
    }
}
