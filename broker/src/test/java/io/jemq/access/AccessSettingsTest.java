package io.jemq.access;

import io.jemq.api.ConfigException;
import io.jemq.config.AccessSettings;
import io.jemq.config.ConfFile;
import io.jemq.config.NodeSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessSettingsTest {
    @Test
    void defaultsAreEmqs() {
        AccessSettings s = AccessSettings.from(ConfFile.of(Map.of()));
        assertThat(s.aclNomatch()).isEqualTo(AccessSettings.Nomatch.ALLOW);
        assertThat(s.aclFile()).isEqualTo(Path.of("etc/acl.conf"));
        assertThat(s.aclFileRequired()).isFalse();
        assertThat(s.aclCacheEnabled()).isTrue();
        assertThat(s.aclCacheMaxSize()).isEqualTo(32);
        assertThat(s.aclCacheTtl()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.aclDenyAction()).isEqualTo(AccessSettings.DenyAction.IGNORE);
        assertThat(s.pluginsLoadedFile()).isEqualTo(Path.of("data/loaded_plugins"));
        assertThat(NodeSettings.from(ConfFile.of(Map.of())).ctlSocket()).isNull();
        assertThat(NodeSettings.from(ConfFile.of(Map.of())).dataDir()).isEqualTo(Path.of("data"));
        assertThat(s.authTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theEmq2CacheKeyIsReadAndTheEmq3OneWins() {
        assertThat(AccessSettings.from(ConfFile.of(Map.of("mqtt.cache_acl", "false"))).aclCacheEnabled()).isFalse();
        assertThat(AccessSettings.from(ConfFile.of(Map.of("mqtt.cache_acl", "false", "mqtt.acl_cache.enable", "on")))
                .aclCacheEnabled()).isTrue();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> AccessSettings.from(ConfFile.of(Map.of("mqtt.acl_deny_action", "kick"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mqtt.acl_deny_action: expected one of ignore, disconnect, got \"kick\"");
        assertThatThrownBy(() -> AccessSettings.from(ConfFile.of(Map.of("mqtt.acl_cache.max_size", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mqtt.acl_cache.max_size");
        assertThat(NodeSettings.from(ConfFile.of(Map.of("node.ctl_socket", "/run/j.sock"))).ctlSocket())
                .isEqualTo(Path.of("/run/j.sock"));
        assertThat(AccessSettings.from(ConfFile.of(Map.of("mqtt.acl_file", "x.conf"))).aclFileRequired()).isTrue();
    }
}
