package io.jemq.protocol;

import io.jemq.message.Message;
import io.jemq.routing.TopicFilter;

/**
 * A listener's {@code mountpoint} for one connection: a prefix added to every topic the client publishes to or
 * subscribes to (its will too), and removed from the topics delivered to it, so clients of different listeners or
 * tenants share one broker without seeing each other's topics. {@code %c} and {@code %u} are the client id and
 * username; a value that is empty or contains {@code + # /} is refused, since it would let a client widen or leave
 * its subtree (Mosquitto's CVE-2017-7650 with {@code %u = #}).
 */
public final class Mountpoint {
    public static final Mountpoint NONE = new Mountpoint("");

    private final String prefix;

    private Mountpoint(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The listener's template with {@code %c} and {@code %u} filled in.
     *
     * @return {@link #NONE} for an empty template, or null when a placeholder's value cannot be part of a topic
     */
    public static Mountpoint resolve(String template, String clientId, String username) {
        if (template == null || template.isEmpty()) {
            return NONE;
        }
        StringBuilder out = new StringBuilder(template.length() + 16);
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            char next = i + 1 < template.length() ? template.charAt(i + 1) : 0;
            if (ch == '%' && (next == 'c' || next == 'u')) {
                String value = next == 'c' ? clientId : username;
                i++;
                if (!isSafeLevelText(value)) {
                    return null;
                }
                out.append(value);
            } else {
                out.append(ch);
            }
        }
        return new Mountpoint(out.toString());
    }

    private static boolean isSafeLevelText(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#' || c == '/') {
                return false;
            }
        }
        return true;
    }

    public boolean isNone() {
        return prefix.isEmpty();
    }

    public String prefix() {
        return prefix;
    }

    /** The topic as the broker routes it. */
    public String mount(String topic) {
        return prefix.isEmpty() ? topic : prefix + topic;
    }

    /** The filter as the broker routes it; a shared subscription keeps its group and has its filter mounted. */
    public TopicFilter mount(TopicFilter filter) {
        return prefix.isEmpty() ? filter : new TopicFilter(prefix + filter.filter(), filter.shareGroup());
    }

    /** The topic as this client knows it. */
    public String unmount(String topic) {
        return !prefix.isEmpty() && topic.startsWith(prefix) ? topic.substring(prefix.length()) : topic;
    }

    /**
     * The message as this client should see it: {@code m} itself when there is nothing to strip, otherwise a new
     * message with the unmounted topic sharing the payload, which the caller releases after writing it.
     */
    public Message unmount(Message m) {
        if (prefix.isEmpty() || !m.topic().startsWith(prefix)) {
            return m;
        }
        return new Message(m.topic().substring(prefix.length()), m.qos(), m.isRetain(),
                m.payload().retainedDuplicate(), m.publisherId(), m.createdAtMillis(), m.expiresAtMillis(),
                m.properties());
    }

    @Override
    public String toString() {
        return prefix;
    }
}
