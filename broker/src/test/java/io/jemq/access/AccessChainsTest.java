package io.jemq.access;

import io.jemq.api.AuthResult;
import io.jemq.api.Authorizer;
import io.jemq.api.Access;
import io.jemq.api.Authenticator;
import io.jemq.api.AclResult;
import io.jemq.api.ClientInfo;
import io.jemq.api.SourceUnavailableException;
import io.jemq.access.acl.AclRules;
import io.jemq.config.AccessSettings.Nomatch;
import io.jemq.sys.AuthOutcome;
import io.jemq.sys.Counters;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two chains without a broker: order, anonymous, failure policy, and the synchronous fast path. */
class AccessChainsTest {
    private static final ClientInfo CLIENT = new ClientInfo("c", "u", new InetSocketAddress("10.0.0.1", 1), 4, "t");
    private static final byte[] PW = "pw".getBytes();

    private static Authenticator auth(String name, CompletionStage<AuthResult> answer) {
        return new Authenticator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                return answer;
            }
        };
    }

    private static Authenticator throwing() {
        return new Authenticator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                throw new IllegalStateException("bug in a plugin");
            }
        };
    }

    @Test
    void theFirstSourceThatDecidesWins() {
        Counters m = new Counters();
        AuthChain chain = new AuthChain(false, Duration.ofSeconds(1), m);
        chain.setSources(List.of(auth("a", AuthResult.IGNORE_STAGE),
                auth("b", CompletableFuture.completedFuture(AuthResult.allow(true))),
                auth("c", CompletableFuture.completedFuture(AuthResult.deny("never asked")))));
        AuthResult r = chain.authenticate(CLIENT, PW).toCompletableFuture().join();
        assertThat(r.decision()).isEqualTo(AuthResult.Decision.ALLOW);
        assertThat(r.superuser()).isTrue();
        assertThat(m.auth("a", AuthOutcome.IGNORE)).isEqualTo(1);
        assertThat(m.auth("c", AuthOutcome.FAILURE)).isZero();
    }

    @Test
    void allIgnoreMeansAllowAnonymous() {
        AuthChain open = new AuthChain(true);
        open.setSources(List.of(auth("a", AuthResult.IGNORE_STAGE)));
        assertThat(open.authenticate(CLIENT, PW).toCompletableFuture().join().decision())
                .isEqualTo(AuthResult.Decision.ALLOW);
        AuthChain closed = new AuthChain(false);
        assertThat(closed.authenticate(CLIENT, PW).toCompletableFuture().join()).isSameAs(AuthChain.NO_MODULE);
    }

    @Test
    void aFailingThrowingOrSilentSourceIsUnavailableNeverAllowed() {
        for (Authenticator bad : List.of(auth("down", CompletableFuture.failedFuture(new RuntimeException("refused"))),
                throwing(), auth("silent", new CompletableFuture<>()))) {
            AuthChain chain = new AuthChain(true, Duration.ofMillis(100), new Counters());
            chain.setSources(List.of(bad, auth("next", CompletableFuture.completedFuture(AuthResult.allow(false)))));
            assertThatThrownBy(() -> chain.authenticate(CLIENT, PW).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SourceUnavailableException.class);
        }
    }

    @Test
    void aTimeoutFailsTheCallerNotTheFutureASourceSharesWithOthers() {
        CompletableFuture<AuthResult> shared = new CompletableFuture<>();         // e.g. a cache entry being filled
        AuthChain chain = new AuthChain(false, Duration.ofMillis(100), new Counters());
        chain.setSources(List.of(auth("cached", shared)));

        assertThatThrownBy(() -> chain.authenticate(CLIENT, PW).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SourceUnavailableException.class);
        assertThat(shared).isNotDone();

        CompletableFuture<AuthResult> later = chain.authenticate(CLIENT, PW).toCompletableFuture();
        shared.complete(AuthResult.allow(false));
        assertThat(later.join().decision()).isEqualTo(AuthResult.Decision.ALLOW);
    }

    @Test
    void anAclTimeoutFailsTheCallerNotTheFutureASourceSharesWithOthers() {
        CompletableFuture<AclResult> shared = new CompletableFuture<>();
        AclChain chain = new AclChain(Nomatch.DENY, Duration.ofMillis(100), AclFile.of(AclRules.EMPTY));
        chain.setPluginSources(List.of(source(shared)));

        assertThat(chain.check(CLIENT, Access.PUBLISH, "t").join()).isEqualTo(AclDecision.FAILED);
        assertThat(shared).isNotDone();

        CompletableFuture<AclDecision> later = chain.check(CLIENT, Access.PUBLISH, "t");
        shared.complete(AclResult.ALLOW);
        assertThat(later.join()).isEqualTo(AclDecision.ALLOW);
    }

    @Test
    void aclConfAnswersOnTheFastPathWithASharedStage() {
        AclChain chain = new AclChain(Nomatch.DENY, Duration.ofSeconds(1),
                AclFile.of(AclRules.parse("{allow, all, publish, [\"a/#\"]}.")));
        assertThat(chain.check(CLIENT, Access.PUBLISH, "a/b")).isSameAs(AclDecision.ALLOW.stage());
        assertThat(chain.check(CLIENT, Access.PUBLISH, "b")).isSameAs(AclDecision.DENY.stage());
    }

    @Test
    void pluginSourcesComeBeforeAclConfAndFailuresDeny() {
        AclChain chain = new AclChain(Nomatch.ALLOW, Duration.ofMillis(100),
                AclFile.of(AclRules.parse("{deny, all}.")));
        chain.setPluginSources(List.of(source(AclResult.ALLOW.stage())));
        assertThat(chain.check(CLIENT, Access.SUBSCRIBE, "x").join()).isEqualTo(AclDecision.ALLOW);
        chain.setPluginSources(List.of(source(AclResult.IGNORE.stage())));
        assertThat(chain.check(CLIENT, Access.SUBSCRIBE, "x").join()).isEqualTo(AclDecision.DENY);
        chain.setPluginSources(List.of(source(new CompletableFuture<>())));
        assertThat(chain.check(CLIENT, Access.SUBSCRIBE, "x").join()).isEqualTo(AclDecision.FAILED);
        chain.setPluginSources(List.of(source(CompletableFuture.failedFuture(new CompletionException(
                new RuntimeException("down"))))));
        assertThat(chain.check(CLIENT, Access.SUBSCRIBE, "x").join()).isEqualTo(AclDecision.FAILED);
        assertThat(chain.sources()).extracting(Authorizer::name).containsExactly("plugin", "acl.conf");
    }

    @Test
    void whatASourceWithItsOwnCachePolicyDecidedOrPassedOnIsNotCachedByTheBroker() {
        AclChain chain = new AclChain(Nomatch.ALLOW, Duration.ofMillis(100),
                AclFile.of(AclRules.parse("{deny, all, publish, [\"x\"]}.")));
        chain.setPluginSources(List.of(uncachedSource(AclResult.DENY.stage())));
        AclDecision denied = chain.check(CLIENT, Access.PUBLISH, "y").join();
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.cacheable()).as("asked again next time (EMQX Edge: a deny is always asked)").isFalse();

        chain.setPluginSources(List.of(uncachedSource(AclResult.IGNORE.stage())));
        AclDecision byAclConf = chain.check(CLIENT, Access.PUBLISH, "x").join();
        assertThat(byAclConf.allowed()).isFalse();
        assertThat(byAclConf.cacheable()).as("the plugin's ignore may change: acl.conf's answer is not kept").isFalse();
        assertThat(chain.check(CLIENT, Access.PUBLISH, "z").join().cacheable()).as("nomatch").isFalse();

        chain.setPluginSources(List.of(source(AclResult.ALLOW.stage()), uncachedSource(AclResult.DENY.stage())));
        assertThat(chain.check(CLIENT, Access.PUBLISH, "y").join()).isEqualTo(AclDecision.ALLOW);
    }

    private static Authorizer uncachedSource(CompletionStage<AclResult> answer) {
        Authorizer inner = source(answer);
        return new Authorizer() {
            @Override
            public String name() {
                return "own-cache";
            }

            @Override
            public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
                return inner.check(client, access, topic);
            }

            @Override
            public boolean brokerMayCache() {
                return false;
            }
        };
    }

    private static Authorizer source(CompletionStage<AclResult> answer) {
        return new Authorizer() {
            @Override
            public String name() {
                return "plugin";
            }

            @Override
            public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
                return answer;
            }
        };
    }
}
