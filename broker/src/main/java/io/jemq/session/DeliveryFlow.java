package io.jemq.session;

import io.jemq.message.Delivery;

/**
 * Where a session's deliveries go, on its owner loop: straight into the outbound window when the queue is empty and
 * the window has room, else into the queue (expired ones dropped, stale ones released), and from the queue into the
 * window as acknowledgements and the socket make room; congestion follows the backlog after each step.
 */
final class DeliveryFlow {
    private final Session session;
    private final SessionSubscriptions subscriptions;
    private final OutboundWindow window;
    private final SessionQueue queue;
    private final Congestion congestion;

    DeliveryFlow(Session session, SessionSubscriptions subscriptions, OutboundWindow window, SessionQueue queue,
                 Congestion congestion) {
        this.session = session;
        this.subscriptions = subscriptions;
        this.window = window;
        this.queue = queue;
        this.congestion = congestion;
    }

    /** After a batch from the inbox: congestion follows the backlog, and what was written goes out. */
    void drained() {
        Outlet outlet = window.outlet();
        congestion.update(outlet != null);
        if (outlet != null) {
            outlet.flush();
        }
    }

    /** One delivery from the inbox: sent, queued or dropped. */
    void accept(Delivery d) {
        if (session.isEnded()) {
            d.release();                            // its session's store was deleted or unloaded whole
            return;
        }
        if (d.message().isExpired(System.currentTimeMillis())) {
            queue.dropExpired(d);
            return;
        }
        if (d.storeKey() < 0) {
            queue.dropRefused(d);                   // the disk store's budget is spent: not kept, so not taken
            return;
        }
        if (subscriptions.isStale(d)) {
            queue.forget(d);
            d.release();                            // routed to a subscription removed since: never counted as sent
            return;
        }
        Outlet outlet = window.outlet();
        if (outlet != null && queue.isEmpty() && window.canSendNow(d)) {
            if (d.qos() == 0) {
                queue.forget(d);
            }
            window.send(d);
        } else {
            queue.add(d, outlet == null);
            congestion.update(outlet != null);
        }
    }

    /** Moves queued deliveries into the window and onto the socket while both have room. */
    void drainQueue() {
        boolean moved = false;
        while (window.outlet() != null && !queue.isEmpty()) {
            Delivery d = queue.peek();
            if (d.message().isExpired(System.currentTimeMillis())) {
                queue.poll();
                queue.dropExpired(d);
                continue;
            }
            if (!window.canSendNow(d)) {
                break;
            }
            queue.poll();
            if (d.qos() == 0) {
                queue.forget(d);                    // written once, never acknowledged: done with now
            }
            window.send(d);
            moved = true;
        }
        if (moved) {
            queue.moved();
        }
        congestion.update(window.outlet() != null);
    }
}
