package io.jemq.plugin;

import io.jemq.api.PluginFactory;
import io.jemq.api.LiveSettings;
import io.jemq.api.PluginContext;
import io.jemq.api.Plugin;
import io.jemq.api.Access;
import io.jemq.sys.Counters;
import io.jemq.access.AclChain;
import io.jemq.access.AclFile;
import io.jemq.api.AclResult;
import io.jemq.access.AuthChain;
import io.jemq.api.AuthResult;
import io.jemq.api.Authenticator;
import io.jemq.api.Authorizer;
import io.jemq.api.ClientInfo;
import io.jemq.access.acl.AclRules;
import io.jemq.config.AccessSettings.Nomatch;
import io.jemq.ctl.ControlCommands;
import io.jemq.events.BrokerEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/** Load, unload and close against real chains, without a broker. */
class PluginsTest {
    @TempDir
    Path home;

    private final AuthChain auth = new AuthChain(false, Duration.ofSeconds(1), new Counters());
    private final AclChain acl = new AclChain(Nomatch.DENY, Duration.ofSeconds(1), AclFile.of(AclRules.EMPTY));
    /** What each plugin saw of the chains when it was closed. */
    private final List<String> seenAtClose = new ArrayList<>();

    private Plugins plugins() {
        Plugins p = new Plugins(home, home.resolve("loaded_plugins"), home, auth, acl, new ControlCommands(),
                new BrokerEvents());
        p.register(new Observing("first"));
        p.register(new Observing("second"));
        return p;
    }

    @Test
    void unloadTakesThePluginOutOfTheChainsBeforeClosingIt() {
        Plugins p = plugins();
        p.load("first");

        p.unload("first");

        assertThat(seenAtClose).containsExactly("first closed: auth [], acl [acl.conf]");
    }

    @Test
    void closeTakesEveryPluginOutOfTheChainsBeforeClosingIt() {
        Plugins p = plugins();
        p.load("first");
        p.load("second");
        assertThat(auth.sources()).extracting(Authenticator::name).containsExactly("second", "first");

        p.close();

        // a check that starts while a plugin closes must not be handed to it
        assertThat(seenAtClose).containsExactly("second closed: auth [], acl [acl.conf]",
                "first closed: auth [], acl [acl.conf]");
        assertThat(auth.sources()).isEmpty();
        assertThat(acl.sources()).extracting(Authorizer::name).containsExactly("acl.conf");
    }

    @Test
    void liveSettingsAreHandedOutByNameWhileThePluginIsLoaded() {
        Plugins p = plugins();
        List<Path> configFiles = new ArrayList<>();
        p.register(new PluginFactory() {
            @Override
            public String name() {
                return "tunable";
            }

            @Override
            public String description() {
                return "offers its settings";
            }

            @Override
            public Plugin create(PluginContext context) {
                configFiles.add(context.configFile().orElseThrow());
                LiveSettings live = new LiveSettings() {
                    @Override
                    public Map<String, String> current() {
                        return Map.of("tunable.level", "3");
                    }

                    @Override
                    public Map<String, String> update(Map<String, String> changes) {
                        return changes;
                    }
                };
                return new Plugin() {
                    @Override
                    public Optional<LiveSettings> liveSettings() {
                        return Optional.of(live);
                    }
                };
            }
        });
        assertThat(p.liveSettings("tunable")).isEmpty();

        p.load("tunable");
        p.load("first");

        assertThat(p.liveSettings("tunable")).hasValueSatisfying(l -> assertThat(l.current())
                .containsEntry("tunable.level", "3"));
        assertThat(p.liveSettings("first")).isEmpty();             // a plugin without live settings offers none
        assertThat(configFiles).containsExactly(home.resolve("tunable.conf"));
        p.unload("tunable");
        assertThat(p.liveSettings("tunable")).isEmpty();
        p.close();
    }

    /** A plugin with one source of each kind that records, on close, which sources the chains still ask. */
    private final class Observing implements PluginFactory {
        private final String name;

        Observing(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "records the chains at close";
        }

        @Override
        public Plugin create(PluginContext context) {
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
                            return AuthResult.IGNORE_STAGE;
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
                            return AclResult.IGNORE.stage();
                        }
                    });
                }

                @Override
                public void close() {
                    seenAtClose.add(name + " closed: auth " + auth.sources().stream().map(Authenticator::name)
                            .toList() + ", acl " + acl.sources().stream().map(Authorizer::name).toList());
                }
            };
        }
    }
}
