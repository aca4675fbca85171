package io.jemq.routing;

import io.jemq.message.Message;

/** A subscriber identified by object, as sessions are; the name is only for messages. */
final class TestSubscriber implements Subscriber {

    private final String clientId;

    TestSubscriber(String clientId) {
        this.clientId = clientId;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public void deliver(Message message, int qos, boolean retainFlag, int[] subscriptionIds, long routedAt) {
        message.release();                 // the router tests look at Deliveries, not at what arrives
    }

    @Override
    public String toString() {
        return clientId;
    }

    static SubOptions qos(int qos) {
        return new SubOptions(qos, false, false, 0, 0);
    }

    static SubOptions withId(int qos, int id) {
        return new SubOptions(qos, false, false, 0, id);
    }
}
