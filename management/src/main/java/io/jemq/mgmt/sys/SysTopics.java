package io.jemq.mgmt.sys;

import io.jemq.message.Message;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Publishes under {@code $SYS/brokers/<node>/} through the broker's own publish pipeline, as the broker itself: no
 * ACL check on the way in (the broker is not a client), so only the subscriptions acl.conf allowed receive them.
 * Called on the module's {@code jemq-sys} thread only (the pipeline takes any thread; one thread keeps the order).
 */
final class SysTopics {
    private static final Logger log = LoggerFactory.getLogger(SysTopics.class);
    /** The publisher id of the broker's own messages: no client can have it, so no-local never drops them. */
    static final String BROKER = "";

    private final Consumer<Message> publish;
    private final String prefix;

    SysTopics(Consumer<Message> publish, String node) {
        this.publish = publish;
        this.prefix = "$SYS/brokers/" + node + "/";
    }

    /** @param path below {@code $SYS/brokers/<node>/}, e.g. {@code stats/clients/count} */
    void publish(String path, String payload, int qos, boolean retain) {
        publishTopic(prefix + path, payload, qos, retain);
    }

    /** @param payload JSON or text, already in UTF-8; the message wraps it (no copy) */
    void publish(String path, byte[] payload, int qos, boolean retain) {
        publishTopic(prefix + path, payload, qos, retain);
    }

    void publishTopic(String topic, String payload, int qos, boolean retain) {
        publishTopic(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    private void publishTopic(String topic, byte[] payload, int qos, boolean retain) {
        Message m = new Message(topic, qos, retain, Unpooled.wrappedBuffer(payload), BROKER, System.currentTimeMillis(),
                0, null);
        try {
            publish.accept(m);
        } catch (RuntimeException e) {
            log.warn("could not publish {}", topic, e);
        } finally {
            m.release();
        }
    }

    /** Whether a client id may become one topic level (no wildcard, no separator). */
    static boolean isTopicLevel(String s) {
        return !s.isEmpty() && s.indexOf('/') < 0 && s.indexOf('+') < 0 && s.indexOf('#') < 0
                && s.indexOf('\0') < 0;
    }
}
