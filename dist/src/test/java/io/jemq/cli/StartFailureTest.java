package io.jemq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.jemq.config.ListenerSettings;

class StartFailureTest {
    private static ListenerSettings tcp(String name, int port) {
        return new ListenerSettings("tcp", name, "127.0.0.1", port, 4, 1024, 128, true, 0, 0);
    }

    @Test
    void namesTheListenerWhoseAddressIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Throwable failure = new CompletionException(new BindException("bind(..) failed: Address already in use"));

            StartFailure explained = StartFailure.explain(failure, List.of(tcp("internal", 0), tcp("external", port)));

            assertThat(explained).hasMessage("cannot listen on 127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void keepsTheCoresMessageWhenItAlreadyNamesTheAddress() {
        Throwable failure = new CompletionException(
                new IllegalStateException("cannot listen on 0.0.0.0:1883: Address already in use"));

        assertThat(StartFailure.explain(failure, List.of(tcp("external", 0))))
                .hasMessage("cannot listen on 0.0.0.0:1883: Address already in use");
    }

    @Test
    void fallsBackToTheCauseWhenEveryAddressIsFree() {
        Throwable failure = new CompletionException(new IllegalStateException("event loop refused the task"));

        assertThat(StartFailure.explain(failure, List.of(tcp("external", 0))))
                .hasMessage("cannot start the listeners: event loop refused the task");
    }
}
