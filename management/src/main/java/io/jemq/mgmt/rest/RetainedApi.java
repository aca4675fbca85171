package io.jemq.mgmt.rest;

import io.jemq.Broker;
import io.jemq.message.Message;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.Page;
import io.jemq.mgmt.http.Routes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Retained messages: {@code GET retained} (paged, by topic: {@code {topic,qos,payload,payload_encoding,from,
 * created_at}}; a payload that is not UTF-8 text is given in base64 with {@code payload_encoding: "base64"}) and
 * {@code DELETE retained/{topic}} (the topic URL-encoded: {@code retained/a%2Fb}; 404 when it has none). EMQ 2.3 had
 * no such endpoint; the names follow the rest of {@code /api/v2}.
 */
public final class RetainedApi {
    private final Broker broker;

    public RetainedApi(Broker broker) {
        this.broker = broker;
    }

    public void register(Routes routes) {
        routes.get("/api/v2/retained", c -> {
            List<Map<String, Object>> all = new ArrayList<>();
            broker.retainer().forEach((topic, m) -> all.add(retained(topic, m)));
            all.sort(Comparator.comparing(m -> (String) m.get("topic")));
            return CompletableFuture.completedFuture(Page.of(c, all));
        }).delete("/api/v2/retained/{topic}", c -> {
            if (!broker.retainer().remove(c.param("topic"))) {
                throw ApiError.notFound(ApiError.UNKNOWN, "no retained message on " + c.param("topic"));
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Reads the message while the store holds it; a message replaced meanwhile may show as released: skipped. */
    private static Map<String, Object> retained(String topic, Message msg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("qos", msg.qos());
        byte[] payload;
        try {
            payload = msg.payloadBytes();
        } catch (RuntimeException released) {
            payload = new byte[0];
        }
        String text = utf8(payload);
        m.put("payload", text != null ? text : Base64.getEncoder().encodeToString(payload));
        m.put("payload_encoding", text != null ? "plain" : "base64");
        m.put("from", msg.publisherId());
        m.put("created_at", Node.datetime(msg.createdAtMillis()));
        return m;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
