package io.jemq.auth.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * What an auth server's answer means (REFERENCE 4): a JSON body with {@code "result": "allow" | "deny" | "ignore"}
 * (and {@code "is_superuser"}) decides, as in EMQX 5; otherwise 200 or 204 with the body {@code ignore} is IGNORE
 * (EMQ 2.x), any other 200 or 204 is ALLOW, and anything else below 500 is DENY. A 5xx never gets here: the client
 * turns it into an outage. Made on the HTTP client's thread; immutable.
 *
 * @param status    the HTTP status
 * @param decision  what the answer decides
 * @param superuser from the JSON body's {@code is_superuser}; null when the body did not say
 */
record HttpAnswer(int status, Decision decision, Boolean superuser) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The three answers a source gives. */
    enum Decision { ALLOW, DENY, IGNORE }

    static HttpAnswer of(int status, String body) {
        if (status != 200 && status != 204) {
            return new HttpAnswer(status, Decision.DENY, null);
        }
        String text = body == null ? "" : body.strip();
        if (text.startsWith("{")) {
            HttpAnswer json = json(status, text);
            if (json != null) {
                return json;
            }
        }
        return new HttpAnswer(status, text.equals("ignore") ? Decision.IGNORE : Decision.ALLOW, null);
    }

    /** The answer a JSON body gives, or null when it is not JSON or names no result (then the status decides). */
    private static HttpAnswer json(int status, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
        JsonNode result = root.get("result");
        if (result == null || !result.isTextual()) {
            return null;
        }
        JsonNode superuser = root.get("is_superuser");
        Boolean isSuper = superuser != null && superuser.isBoolean() ? superuser.booleanValue() : null;
        Decision d = switch (result.textValue().toLowerCase(Locale.ROOT)) {
            case "allow" -> Decision.ALLOW;
            case "ignore" -> Decision.IGNORE;
            default -> Decision.DENY;                // "deny", and anything the server should not have said
        };
        return new HttpAnswer(status, d, isSuper);
    }

    boolean allows() {
        return decision == Decision.ALLOW;
    }
}
