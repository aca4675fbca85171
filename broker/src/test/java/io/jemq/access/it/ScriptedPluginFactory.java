package io.jemq.access.it;

import io.jemq.api.Access;
import io.jemq.api.AclResult;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.config.ConfFile;
import io.jemq.api.Plugin;
import io.jemq.api.PluginContext;
import io.jemq.api.PluginFactory;
import io.jemq.api.SourceUnavailableException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Test plugins {@code test_a} and {@code test_b}, scripted by their config file, which they re-read at every call so
 * a test can change their answers while the broker runs:
 * {@code scripted.auth.<username> = allow|super|deny|ignore|fail|outage|hang|slow-allow} and
 * {@code scripted.acl.<topic> = allow|deny|ignore|fail|outage|async-allow|async-deny} (unlisted: ignore);
 * {@code outage}
 * fails with the API's {@link SourceUnavailableException}, as a backend that is down does.
 * {@code scripted.broken = on} makes the load fail.
 */
public class ScriptedPluginFactory implements PluginFactory {
    private final String name;

    public ScriptedPluginFactory() {
        this("test_a");
    }

    ScriptedPluginFactory(String name) {
        this.name = name;
    }

    /** The second scripted plugin, for order tests. */
    public static final class B extends ScriptedPluginFactory {
        public B() {
            super("test_b");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "scripted test plugin";
    }

    @Override
    public Plugin create(PluginContext context) {
        if (context.settings().bool("scripted.broken", false)) {
            throw context.settings().invalid("scripted.broken", "off");
        }
        Path file = context.settings().origin("scripted.broken").map(o -> Path.of(o.substring(0, o.lastIndexOf(':'))))
                .orElseThrow(() -> new IllegalStateException("write scripted.broken = off in the test's config"));
        return new Plugin() {
            @Override
            public List<Authenticator> authenticators() {
                return List.of(new Authenticator() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public CompletionStage<AuthResult> authenticate(ClientInfo client, byte[] password) {
                        String script = read(file).string("scripted.auth." + client.username(), "ignore");
                        return switch (script) {
                            case "allow" -> CompletableFuture.completedFuture(AuthResult.allow(false));
                            case "super" -> CompletableFuture.completedFuture(AuthResult.allow(true));
                            case "deny" -> CompletableFuture.completedFuture(AuthResult.deny("scripted deny"));
                            case "fail" -> CompletableFuture.failedFuture(new IllegalStateException("scripted outage"));
                            case "outage" -> CompletableFuture.failedFuture(new SourceUnavailableException(name,
                                    "scripted outage"));
                            case "hang" -> new CompletableFuture<>();
                            case "slow-allow" -> CompletableFuture.supplyAsync(() -> AuthResult.allow(false),
                                    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
                            default -> AuthResult.IGNORE_STAGE;
                        };
                    }
                });
            }

            @Override
            public List<Authorizer> authorizers() {
                return List.of(new Authorizer() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public CompletionStage<AclResult> check(ClientInfo client, Access access, String topic) {
                        String script = read(file).string("scripted.acl." + topic, "ignore");
                        return switch (script) {
                            case "allow" -> AclResult.ALLOW.stage();
                            case "deny" -> AclResult.DENY.stage();
                            case "fail" -> CompletableFuture.failedFuture(new IllegalStateException("scripted"));
                            case "outage" -> CompletableFuture.failedFuture(new SourceUnavailableException(name,
                                    "scripted outage"));
                            case "async-allow" -> CompletableFuture.supplyAsync(() -> AclResult.ALLOW,
                                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                            case "async-deny" -> CompletableFuture.supplyAsync(() -> AclResult.DENY,
                                    CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                            default -> AclResult.IGNORE.stage();
                        };
                    }
                });
            }
        };
    }

    private static ConfFile read(Path file) {
        return Files.exists(file) ? ConfFile.load(file) : ConfFile.of(java.util.Map.of());
    }
}
