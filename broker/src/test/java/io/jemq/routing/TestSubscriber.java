package io.jemq.routing;

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
