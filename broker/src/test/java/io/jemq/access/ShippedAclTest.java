package io.jemq.access;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ShippedAclTest {
    @Test
    void theShippedAclConfParsesWithEmqsThreeRules() {
        AclFile f = new AclFile(Path.of("../etc/acl.conf"), true);
        assertThat(f.reload()).isEqualTo(3);
    }
}
