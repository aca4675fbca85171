package io.jemq.plugin;

import io.jemq.access.AclChain;
import io.jemq.access.AclDecision;
import io.jemq.access.AclFile;
import io.jemq.access.AuthChain;
import io.jemq.access.acl.AclRules;
import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.api.ConfigException;
import io.jemq.api.FailurePolicy;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.SourceUnavailableException;
import io.jemq.config.AccessSettings.Nomatch;
import io.jemq.ctl.ControlCommands;
import io.jemq.events.BrokerEvents;
import io.jemq.sys.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code <prefix>.on_error}: what the chains answer for a plugin whose sources fail with the API's outage exception,
 * with real chains and the real loader.
 */
class FailurePolicyTest {
    private static final ClientInfo CLIENT = new ClientInfo("c1", "alice", new InetSocketAddress("10.0.0.1", 1), 4,
            "tcp");

    @TempDir
    Path home;

    private final AuthChain auth = new AuthChain(true, Duration.ofSeconds(1), new Counters());
    private final AclChain acl = new AclChain(Nomatch.ALLOW, Duration.ofSeconds(1), AclFile.of(AclRules.EMPTY));
    private Plugins plugins;

    private Plugins plugins(String outageConf) throws IOException {
        Files.writeString(home.resolve("emq_auth_outage.conf"), outageConf);
        plugins = new Plugins(home, home.resolve("loaded_plugins"), home, auth, acl, new ControlCommands(),
                new BrokerEvents());
        plugins.register(new Outage());
        plugins.register(new Deciding());
        return plugins;
    }

    @AfterEach
    void close() {
        if (plugins != null) {
            plugins.close();
        }
    }

    private AuthResult authenticate() {
        return auth.authenticate(CLIENT, "pw".getBytes()).toCompletableFuture().join();
    }

    @Test
    void byDefaultAnOutageRefusesTheConnectAsServerUnavailableEvenWhenAnonymousIsAllowed() throws IOException {
        Plugins p = plugins("");
        p.load("emq_auth_outage");

        assertThatThrownBy(this::authenticate).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SourceUnavailableException.class)
                .hasMessage("authentication source emq_auth_outage is unavailable: connection refused");
        assertThat(p.context("emq_auth_outage").failurePolicy()).isEqualTo(FailurePolicy.DENY);
    }

    @Test
    void onErrorDenyDeniesTheAclCheckWithAnAnswerThatIsNotCached() throws IOException {
        plugins("auth.outage.on_error = deny\n").load("emq_auth_outage");

        AclDecision d = acl.check(CLIENT, Access.PUBLISH, "t").join();

        assertThat(d).isEqualTo(AclDecision.FAILED);
        assertThat(d.allowed()).isFalse();
        assertThat(d.cacheable()).isFalse();
    }

    @Test
    void onErrorIgnoreLetsTheNextSourceDecideAtConnect() throws IOException {
        Plugins p = plugins("auth.outage.on_error = ignore\n");
        p.load("emq_deciding");
        p.load("emq_auth_outage");                          // asked first

        AuthResult r = authenticate();

        assertThat(r.decision()).isEqualTo(AuthResult.Decision.DENY);
        assertThat(r.reason()).isEqualTo("decided by emq_deciding");
    }

    @Test
    void onErrorIgnoreWithNoOtherSourceFallsToAllowAnonymous() throws IOException {
        plugins("auth.outage.on_error = ignore\n").load("emq_auth_outage");

        assertThat(authenticate().decision()).isEqualTo(AuthResult.Decision.ALLOW);
    }

    @Test
    void onErrorIgnoreLetsTheNextAclSourceDecideButTheAnswerIsNotCached() throws IOException {
        Plugins p = plugins("auth.outage.on_error = ignore\n");
        p.load("emq_deciding");
        p.load("emq_auth_outage");

        AclDecision denied = acl.check(CLIENT, Access.PUBLISH, "t").join();
        p.unload("emq_deciding");
        AclDecision nomatch = acl.check(CLIENT, Access.SUBSCRIBE, "t").join();

        assertThat(denied).isEqualTo(AclDecision.DENY_AFTER_FAILURE);
        assertThat(denied.allowed()).isFalse();
        assertThat(nomatch).isEqualTo(AclDecision.ALLOW_AFTER_FAILURE);   // mqtt.acl_nomatch = allow
        assertThat(nomatch.allowed()).isTrue();
        assertThat(nomatch.cacheable()).isFalse();
    }

    @Test
    void anAsynchronousOutageIsAnsweredTheSameWay() throws IOException {
        Plugins p = plugins("auth.outage.on_error = ignore\nauth.outage.async = on\n");
        p.load("emq_deciding");
        p.load("emq_auth_outage");

        assertThat(authenticate().reason()).isEqualTo("decided by emq_deciding");
        assertThat(acl.check(CLIENT, Access.PUBLISH, "t").join()).isEqualTo(AclDecision.DENY_AFTER_FAILURE);
    }

    @Test
    void aPolicyThatIsNeitherDenyNorIgnoreFailsTheLoad() throws IOException {
        Plugins p = plugins("auth.outage.on_error = allow\n");

        assertThatThrownBy(() -> p.load("emq_auth_outage")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plugin emq_auth_outage not loaded:")
                .hasMessageContaining("emq_auth_outage.conf:1: auth.outage.on_error: expected");
        assertThat(auth.sources()).isEmpty();
    }

    /** A plugin whose backend is down: every answer fails with the API's outage exception. */
    static final class Outage implements PluginFactory {
        @Override
        public String name() {
            return "emq_auth_outage";
        }

        @Override
        public String description() {
            return "a backend that is down";
        }

        @Override
        public Plugin create(PluginContext context) {
            boolean async = context.settings().bool("auth.outage.async", false);
            return new Plugin() {
                @Override
                public List<Authenticator> authenticators() {
                    return List.of(new Authenticator() {
                        @Override
                        public String name() {
                            return context.name();
                        }

                        @Override
                        public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                            return down(async, context);
                        }
                    });
                }

                @Override
                public List<Authorizer> authorizers() {
                    return List.of(new Authorizer() {
                        @Override
                        public String name() {
                            return context.name();
                        }

                        @Override
                        public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
                            return down(async, context);
                        }
                    });
                }
            };
        }

        private static <T> CompletableFuture<T> down(boolean async, PluginContext context) {
            if (!async) {
                return CompletableFuture.failedFuture(new SourceUnavailableException(context.name(),
                        "connection refused"));
            }
            return context.callBlocking(() -> {
                throw new SourceUnavailableException(context.name(), "connection refused");
            });
        }
    }

    /** A plugin that denies everyone, to see who decided. */
    static final class Deciding implements PluginFactory {
        @Override
        public String name() {
            return "emq_deciding";
        }

        @Override
        public String description() {
            return "denies";
        }

        @Override
        public Plugin create(PluginContext context) {
            return new Plugin() {
                @Override
                public List<Authenticator> authenticators() {
                    return List.of(new Authenticator() {
                        @Override
                        public String name() {
                            return "emq_deciding";
                        }

                        @Override
                        public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                            return CompletableFuture.completedFuture(AuthResult.deny("decided by emq_deciding"));
                        }
                    });
                }

                @Override
                public List<Authorizer> authorizers() {
                    return List.of(new Authorizer() {
                        @Override
                        public String name() {
                            return "emq_deciding";
                        }

                        @Override
                        public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
                            return AclResult.DENY.stage();
                        }
                    });
                }
            };
        }
    }
}
