package io.jemq.plugin.local;

import io.jemq.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialStoreTest {
    @TempDir
    Path dir;

    @Test
    void keepsSaltedHashesAcrossReopeningNeverThePassword() throws Exception {
        Path file = dir.resolve("users.db");
        CredentialStore s = new CredentialStore(file, CredentialStore.Scheme.SHA256);
        s.put("alice", "wonderland".getBytes());
        s.put("bob with spaces\nand a newline", "builder".getBytes());
        s.put("carol", "same".getBytes());
        s.put("dave", "same".getBytes());
        String text = Files.readString(file);
        assertThat(text).doesNotContain("wonderland", "builder", "same", "alice");
        CredentialStore again = new CredentialStore(file, CredentialStore.Scheme.SHA256);
        assertThat(again.names()).containsExactly("alice", "bob with spaces\nand a newline", "carol", "dave");
        assertThat(again.find("alice").matches("wonderland".getBytes())).isTrue();
        assertThat(again.find("alice").matches("Wonderland".getBytes())).isFalse();
        assertThat(again.find("bob with spaces\nand a newline").matches("builder".getBytes())).isTrue();
        // a fresh salt per entry: equal passwords give different hashes
        assertThat(again.find("carol").stored()).isNotEqualTo(again.find("dave").stored());
        assertThat(again.remove("alice")).isTrue();
        assertThat(new CredentialStore(file, CredentialStore.Scheme.SHA256).contains("alice")).isFalse();
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers).containsExactly(file);                     // no temporary file left behind
        }
    }

    @Test
    void bcryptEntriesAreSlowChecks() throws Exception {
        CredentialStore s = new CredentialStore(dir.resolve("b.db"), CredentialStore.Scheme.BCRYPT);
        s.put("u", "pw".getBytes());
        assertThat(s.find("u").slow()).isTrue();
        assertThat(s.find("u").stored()).startsWith("$2a$10$");
        assertThat(new CredentialStore(dir.resolve("b.db"), CredentialStore.Scheme.SHA256).find("u")
                .matches("pw".getBytes())).isTrue();
    }

    @Test
    void aDamagedFileNamesItsLine() throws Exception {
        Path file = dir.resolve("bad.db");
        Files.writeString(file, "616c696365 salt,sha256 00 00\nzz nonsense\n");
        assertThatThrownBy(() -> new CredentialStore(file, CredentialStore.Scheme.SHA256))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bad.db:2: damaged entry");
    }
}
