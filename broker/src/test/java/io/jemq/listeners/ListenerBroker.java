package io.jemq.listeners;

import io.jemq.Broker;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.ClientInfo;
import io.jemq.sys.ListenerCounter;
import io.jemq.testkit.EmbeddedBroker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmbeddedBroker} with only the listeners a test asks for (bind them to 127.0.0.1:0), which records every
 * {@link ClientInfo} its auth chain is asked about and then lets the client in (anonymous clients are allowed).
 */
final class ListenerBroker implements AutoCloseable {
    private final EmbeddedBroker embedded;
    private final LinkedBlockingQueue<ClientInfo> authenticated = new LinkedBlockingQueue<>();

    private ListenerBroker(EmbeddedBroker embedded) {
        this.embedded = embedded;
        embedded.broker().auth().setSources(List.of(new Authenticator() {
            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                authenticated.add(client);
                return CompletableFuture.completedFuture(AuthResult.IGNORE);
            }
        }));
    }

    static ListenerBroker start(Map<String, String> conf) {
        return new ListenerBroker(EmbeddedBroker.builder().noDefaultListener().settings(conf).start());
    }

    /** @param keyValues alternating keys and values */
    static ListenerBroker start(String... keyValues) {
        return start(conf(keyValues));
    }

    static Map<String, String> conf(String... keyValues) {
        Map<String, String> conf = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.put(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    int port(String listenerId) {
        return embedded.port(listenerId);
    }

    Broker broker() {
        return embedded.broker();
    }

    /** One listener's figure from the broker's counter table. */
    long counted(String listenerId, ListenerCounter c) {
        return embedded.broker().counters().listener(listenerId).get(c);
    }

    /** The next client the auth chain was asked about. */
    ClientInfo nextAuthenticated() throws InterruptedException {
        ClientInfo c = authenticated.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no client was authenticated within 10 s");
        }
        return c;
    }

    @Override
    public void close() {
        embedded.close();
    }
}
