package io.jemq.mgmt.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jemq.Broker;
import io.jemq.api.AuthResult;
import io.jemq.api.ClientInfo;
import io.jemq.message.Message;
import io.jemq.mgmt.http.ApiError;
import io.jemq.mgmt.http.BasicAuth;
import io.jemq.mgmt.http.Call;
import io.jemq.mgmt.http.Json;
import io.jemq.mgmt.http.Reply;
import io.jemq.mgmt.http.Routes;
import io.jemq.routing.SubOptions;
import io.jemq.routing.TopicFilter;
import io.jemq.routing.Topics;
import io.jemq.session.Session;
import io.jemq.session.SessionRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishing and subscribing over HTTP. {@code POST /mqtt/publish} is EMQ 2.0-2.2's form API (the seed's curl
 * command): HTTP Basic checked through the MQTT authentication chain, as a client with that username and the caller's
 * address would be at CONNECT; answers {@code OK}, 400 {@code Bad QoS} / {@code Bad Topics}, 401 {@code Unauthorized}
 * as text. {@code POST /api/v2/mqtt/publish}, {@code .../subscribe} and {@code .../unsubscribe} are EMQ 2.3's JSON
 * API, for admins. A message published here goes through the same pipeline as a client's (retained store, routes),
 * with the given client id as its publisher; neither API asks the ACL sources, as in EMQ.
 */
public final class PublishApi {
    private static final Logger log = LoggerFactory.getLogger(PublishApi.class);

    private final Broker broker;
    private final Node node;

    public PublishApi(Broker broker, Node node) {
        this.broker = broker;
        this.node = node;
    }

    public void register(Routes routes) {
        routes.add("POST", "/mqtt/publish", Routes.Guard.OPEN, this::formPublish)
                .add("GET", "/status", Routes.Guard.OPEN, c -> CompletableFuture.completedFuture(Reply.text(200,
                        "Node " + node.name() + " is started\njemq is running")))
                .post("/api/v2/mqtt/publish", this::jsonPublish)
                .post("/api/v2/mqtt/subscribe", c -> subscription(c, true))
                .post("/api/v2/mqtt/unsubscribe", c -> subscription(c, false));
    }

    private CompletionStage<?> formPublish(Call c) {
        BasicAuth basic = BasicAuth.parse(c.headers().get(HttpHeaderNames.AUTHORIZATION)).orElse(null);
        if (basic == null) {
            return CompletableFuture.completedFuture(unauthorized());
        }
        ClientInfo who = new ClientInfo(first(c.form(), "client", "http"), basic.username(), c.peer(), 4,
                "api.mgmt");
        return broker.auth().authenticate(who, basic.password().getBytes(StandardCharsets.UTF_8))
                .thenApply(result -> {
                    if (result.decision() != AuthResult.Decision.ALLOW) {
                        log.info("HTTP publish from {} as {} refused: {}", c.peer(), basic.username(),
                                result.reason());
                        return unauthorized();
                    }
                    return formPublishAllowed(c.form());
                });
    }

    private static Reply unauthorized() {
        return Reply.text(401, "Unauthorized").withHeader("WWW-Authenticate", "Basic realm=\"jemq\"");
    }

    private Reply formPublishAllowed(Map<String, List<String>> form) {
        int qos;
        boolean retain;
        try {
            qos = Integer.parseInt(first(form, "qos", "0").trim());
            retain = first(form, "retain", "0").trim().equals("1") || first(form, "retain", "0").equals("true");
        } catch (NumberFormatException e) {
            return Reply.text(400, "Bad QoS");
        }
        List<String> topics = topics(first(form, "topic", ""), first(form, "topics", ""));
        if (qos < 0 || qos > 2) {
            return Reply.text(400, "Bad QoS");
        }
        if (topics.isEmpty() || !topics.stream().allMatch(this::validName)) {
            return Reply.text(400, "Bad Topics");
        }
        byte[] payload = first(form, "message", "").getBytes(StandardCharsets.UTF_8);
        topics.forEach(t -> publish(t, qos, retain, payload, first(form, "client", "http")));
        return Reply.text(200, "OK");
    }

    private CompletionStage<?> jsonPublish(Call c) {
        JsonNode body = c.json();
        List<String> topics = topics(Json.text(body, "topic"), "");
        String payload = Json.optionalText(body, "payload").orElseThrow(() -> ApiError.missing("payload"));
        int qos = Json.integer(body, "qos", 0, 0, 2);
        boolean retain = Json.bool(body, "retain", false);
        String clientId = Json.optionalText(body, "client_id").orElse("http");
        if (!topics.stream().allMatch(this::validName)) {
            throw ApiError.type("topic", "a topic name without wildcards");
        }
        topics.forEach(t -> publish(t, qos, retain, payload.getBytes(StandardCharsets.UTF_8), clientId));
        return CompletableFuture.completedFuture(null);
    }

    /** Subscribes or unsubscribes an existing session, on the session's owner loop; 112 when there is none. */
    private CompletionStage<?> subscription(Call c, boolean subscribe) {
        JsonNode body = c.json();
        String clientId = Json.text(body, "client_id");
        String topic = Json.text(body, "topic");
        int qos = Json.integer(body, "qos", 0, 0, 2);
        TopicFilter filter;
        try {
            filter = TopicFilter.parse(topic);
        } catch (IllegalArgumentException e) {
            throw ApiError.type("topic", "a valid topic filter");
        }
        if (!Topics.isValidFilter(filter.filter(), broker.settings().mqtt().maxTopicLevels())) {
            throw ApiError.type("topic", "a valid topic filter");
        }
        Session s = broker.sessions().get(clientId);
        if (s == null) {
            throw ApiError.notFound(ApiError.CLIENT_OFFLINE, "client " + clientId + " has no session");
        }
        CompletableFuture<Object> done = new CompletableFuture<>();
        SessionRegistry.runOnOwner(s, () -> {
            if (subscribe) {
                s.subscribe(filter, new SubOptions(qos, false, false, 0, 0));
            } else {
                s.unsubscribe(filter);
            }
            done.complete(null);
        });
        return done;
    }

    private boolean validName(String topic) {
        return Topics.isValidName(topic, broker.settings().mqtt().maxTopicLevels());
    }

    private void publish(String topic, int qos, boolean retain, byte[] payload, String clientId) {
        Message m = new Message(topic, qos, retain, Unpooled.wrappedBuffer(payload), clientId,
                System.currentTimeMillis(), 0, Message.MessageProperties.NONE);
        try {
            broker.publish(m);
        } finally {
            m.release();
        }
    }

    /** EMQ's {@code topic} and {@code topics} (comma-separated) together, blanks dropped. */
    private static List<String> topics(String topic, String topics) {
        return Arrays.stream((topic + "," + topics).split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .toList();
    }

    private static String first(Map<String, List<String>> params, String name, String otherwise) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? otherwise : v.get(0);
    }
}
