package io.jemq.access.it;

import io.jemq.sys.AuthOutcome;
import io.jemq.sys.Counter;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** CONNECT through the authentication chain, with real clients. */
class AuthChainIT {
    private static final String USERS = """
            auth.user.1.username = alice
            auth.user.1.password = wonderland
            """;
    private static final String CLIENTS = """
            auth.client.1.clientid = sensor-1
            auth.client.1.password = s3cret
            """;

    @TempDir
    Path home;

    @Test
    void anonymousAllowedByDefaultWithNoPlugin() {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).start()) {
            assertThat(Clients.connack3(b.port(), "anon", null, null)).isZero();
            assertThat(Clients.connack5(b.port(), "anon5", null, null)).isZero();
            assertThat(b.broker().counters().snapshot()).containsEntry("auth/anonymous", 2L);
        }
    }

    @Test
    void anonymousRefusedWhenNotAllowed() {
        try (EmbeddedBroker b = EmbeddedBroker.in(home).set("mqtt.allow_anonymous", "false").start()) {
            assertThat(Clients.connack3(b.port(), "anon", null, null)).isEqualTo(5);
            assertThat(Clients.connack5(b.port(), "anon5", null, null)).isEqualTo(0x87);
        }
    }

    @Test
    void usernameAuthAcceptsTheRightPasswordOnly() {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("emq_auth_username", USERS)
                .loaded("emq_auth_username");
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Clients.connack3(b.port(), "c2", "alice", "wrong")).isEqualTo(4);
            assertThat(Clients.connack5(b.port(), "c3", "alice", "wrong")).isEqualTo(0x86);
            assertThat(Clients.connack5(b.port(), "c4", "alice", null)).isEqualTo(0x86);
            // unknown user and no username: ignored, so allow_anonymous (true) decides
            assertThat(Clients.connack3(b.port(), "c5", "bob", "x")).isZero();
            assertThat(Clients.connack3(b.port(), "c6", null, null)).isZero();
            var m = b.broker().counters();
            assertThat(m.auth("emq_auth_username", AuthOutcome.SUCCESS)).isEqualTo(1);
            assertThat(m.auth("emq_auth_username", AuthOutcome.FAILURE)).isEqualTo(3);
            assertThat(m.auth("emq_auth_username", AuthOutcome.IGNORE)).isEqualTo(2);
        }
    }

    @Test
    void ignoreGoesToTheNextPluginThenToAnonymous() {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("emq_auth_username", USERS)
                .pluginConf("emq_auth_clientid", CLIENTS).loaded("emq_auth_username", "emq_auth_clientid")
                .set("mqtt.allow_anonymous", "false");
        try (EmbeddedBroker b = f.start()) {
            // username ignores sensor-1 (no username), clientid accepts it
            assertThat(Clients.connack3(b.port(), "sensor-1", "nobody", "s3cret")).isZero();
            // clientid ignores c9 (unknown), username accepts alice
            assertThat(Clients.connack3(b.port(), "c9", "alice", "wonderland")).isZero();
            // both ignore: anonymous refused (5), not "bad password" (4)
            assertThat(Clients.connack3(b.port(), "c10", "nobody", "x")).isEqualTo(5);
        }
    }

    @Test
    void theMostRecentlyLoadedPluginIsAskedFirst() {
        // sensor-1 logs in as alice with alice's password: the clientid plugin knows sensor-1 and says "bad password"
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("emq_auth_username", USERS)
                .pluginConf("emq_auth_clientid", CLIENTS);
        f.loaded("emq_auth_clientid", "emq_auth_username");
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "sensor-1", "alice", "wonderland")).isZero();
        }
        f.loaded("emq_auth_username", "emq_auth_clientid");
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "sensor-1", "alice", "wonderland")).isEqualTo(4);
            assertThat(b.broker().plugins().askOrder()).containsExactly("emq_auth_clientid", "emq_auth_username");
        }
    }

    @Test
    void anUnreachableSourceGivesServerUnavailableNeverAllow() {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.down = fail
                scripted.auth.hung = hang
                """).loaded("test_a").set("mqtt.auth_timeout", "300ms");
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "down", "x")).isEqualTo(3);
            assertThat(Clients.connack5(b.port(), "c2", "down", "x")).isEqualTo(0x88);
            assertThat(Clients.connack3(b.port(), "c3", "hung", "x")).isEqualTo(3);
            assertThat(b.broker().counters().auth("test_a", AuthOutcome.ERROR)).isEqualTo(3);
        }
    }

    @Test
    void onErrorIgnorePassesAnOutageToTheNextSourceAndDenyRefusesIt() {
        // test_a (prefix test.a) is loaded last, so asked first; its backend is down for everyone
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("emq_auth_username", USERS)
                .pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.alice = outage
                scripted.auth.nobody = outage
                test.a.on_error = ignore
                """).loaded("emq_auth_username", "test_a").set("mqtt.allow_anonymous", "false");
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isZero();
            assertThat(Clients.connack5(b.port(), "c2", "alice", "wrong")).isEqualTo(0x86);
            assertThat(Clients.connack3(b.port(), "c3", "nobody", "x")).isEqualTo(5);
            assertThat(b.broker().counters().auth("test_a", AuthOutcome.ERROR)).isEqualTo(3);
        }
        f.pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.alice = outage
                test.a.on_error = deny
                """);
        try (EmbeddedBroker b = f.start()) {
            assertThat(Clients.connack3(b.port(), "c1", "alice", "wonderland")).isEqualTo(3);
            assertThat(Clients.connack5(b.port(), "c2", "alice", "wonderland")).isEqualTo(0x88);
        }
    }

    @Test
    void aSlowAuthenticatorDoesNotStallOtherClients() throws Exception {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.slow = hang
                scripted.auth.fast = allow
                """).loaded("test_a").set("mqtt.auth_timeout", "20s");
        try (EmbeddedBroker b = f.start()) {
            // more hung CONNECTs than event loops, so every loop has one waiting
            List<CompletableFuture<Integer>> slow = new ArrayList<>();
            int loops = Runtime.getRuntime().availableProcessors() * 2 + 2;
            for (int i = 0; i < loops; i++) {
                String id = "slow-" + i;
                slow.add(CompletableFuture.supplyAsync(() -> Clients.connack3(b.port(), id, "slow", "x")));
            }
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> b.broker().counters().get(Counter.PACKETS_CONNECT) >= loops);
            long started = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(Clients.connack3(b.port(), "fast-" + i, "fast", "x")).isZero();
            }
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
            assertThat(slow).noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    void aSuperuserIsDecidedAtConnectByTheSourceThatAccepted() {
        EmbeddedBroker.Builder f = EmbeddedBroker.in(home).pluginConf("test_a", """
                scripted.broken = off
                scripted.auth.root = super
                """).loaded("test_a").acl("{deny, all}.");
        try (EmbeddedBroker b = f.start()) {
            var root = Clients.connect3(b.port(), "root", "root", "x");
            var sub = root.subscribeWith().topicFilter("any/#").send();
            assertThat(sub.getReturnCodes().get(0).isError()).isFalse();
            root.disconnect();
        }
    }
}
