package io.jemq.events;

import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import io.jemq.api.DropReason;
import io.jemq.api.PublishedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The broker's one event bus: the core calls it where things happen, and it passes each event to every registered
 * {@link BrokerListener} in registration order, on the caller's thread. A listener that throws is logged and the
 * others still run.
 *
 * <p>Cost when nobody listens: {@link #active()} is one volatile read; callers that would have to build something
 * for an event (a {@link ClientInfo}) ask it first. The array is replaced, never changed, so calls never lock.
 */
public final class BrokerEvents implements BrokerListener {
    private static final Logger log = LoggerFactory.getLogger(BrokerEvents.class);
    private static final BrokerListener[] NONE = {};

    private volatile BrokerListener[] listeners = NONE;

    public synchronized void add(BrokerListener listener) {
        BrokerListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[next.length - 1] = listener;
        listeners = next;
    }

    public synchronized void remove(BrokerListener listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(BrokerListener[]::new);
    }

    /** Whether anyone listens: callers skip building an event's arguments when not. */
    public boolean active() {
        return listeners.length != 0;
    }

    @Override
    public void clientConnected(ClientInfo client, int connackCode) {
        each("clientConnected", l -> l.clientConnected(client, connackCode));
    }

    @Override
    public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
        each("clientDisconnected", l -> l.clientDisconnected(client, reason));
    }

    @Override
    public void sessionCreated(String clientId) {
        each("sessionCreated", l -> l.sessionCreated(clientId));
    }

    @Override
    public void sessionResumed(String clientId) {
        each("sessionResumed", l -> l.sessionResumed(clientId));
    }

    @Override
    public void sessionEnded(String clientId) {
        each("sessionEnded", l -> l.sessionEnded(clientId));
    }

    @Override
    public void subscribed(ClientInfo client, String filter, int qos) {
        each("subscribed", l -> l.subscribed(client, filter, qos));
    }

    @Override
    public void unsubscribed(ClientInfo client, String filter) {
        each("unsubscribed", l -> l.unsubscribed(client, filter));
    }

    @Override
    public void messagePublished(PublishedMessage message) {
        for (BrokerListener l : listeners) {          // per message: a plain loop, no lambda to allocate
            try {
                l.messagePublished(message);
            } catch (RuntimeException e) {
                failed(l, "messagePublished", e);
            }
        }
    }

    @Override
    public void messageDelivered(String clientId, PublishedMessage message) {
        for (BrokerListener l : listeners) {          // per message: a plain loop, no lambda to allocate
            try {
                l.messageDelivered(clientId, message);
            } catch (RuntimeException e) {
                failed(l, "messageDelivered", e);
            }
        }
    }

    @Override
    public void messageAcked(String clientId, PublishedMessage message) {
        for (BrokerListener l : listeners) {          // per message: a plain loop, no lambda to allocate
            try {
                l.messageAcked(clientId, message);
            } catch (RuntimeException e) {
                failed(l, "messageAcked", e);
            }
        }
    }

    @Override
    public void messageDropped(String clientId, PublishedMessage message, DropReason reason) {
        for (BrokerListener l : listeners) {          // per message: a plain loop, no lambda to allocate
            try {
                l.messageDropped(clientId, message, reason);
            } catch (RuntimeException e) {
                failed(l, "messageDropped", e);
            }
        }
    }

    /** For the rarer events (connects, sessions, subscriptions); made only when someone listens. */
    private void each(String event, Consumer<BrokerListener> call) {
        for (BrokerListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                failed(l, event, e);
            }
        }
    }

    private static void failed(BrokerListener l, String event, RuntimeException e) {
        log.warn("broker listener {} failed on {}", l.getClass().getName(), event, e);
    }
}
