package io.jemq.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every hash against vectors made by openssl, python3 hashlib and htpasswd -B (make-password-vectors.sh). */
class PasswordHashTest {
    record Vector(String spec, String password, String salt, String stored) {
        byte[] pw() {
            return password.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return spec + " \"" + password + "\"";
        }
    }

    static List<Vector> vectors() throws IOException {
        try (InputStream in = PasswordHashTest.class.getResourceAsStream("/access/password-vectors.tsv")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("\t", -1))
                    .map(f -> new Vector(f[0], f[1], f[2].equals("-") ? null : f[2], f[3]))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void acceptsTheRightPassword(Vector v) {
        assertThat(PasswordHash.parse(v.spec()).matches(v.pw(), v.stored(), v.salt())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void refusesAWrongPassword(Vector v) {
        byte[] wrong = (v.password() + "x").getBytes(StandardCharsets.UTF_8);
        if (v.password().length() > 72 && v.spec().contains("bcrypt")) {
            return;                             // bcrypt reads 72 bytes: a longer password's tail is not checked
        }
        assertThat(PasswordHash.parse(v.spec()).matches(wrong, v.stored(), v.salt())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void hexComparesInAnyCase(Vector v) {
        if (v.spec().contains("bcrypt") || v.spec().equals("plain")) {
            return;
        }
        String upper = v.stored().toUpperCase(Locale.ROOT);
        assertThat(PasswordHash.parse(v.spec()).matches(v.pw(), upper, v.salt())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void hashGivesTheStoredForm(Vector v) {
        if (!v.spec().contains("bcrypt")) {
            assertThat(PasswordHash.parse(v.spec()).hash(v.pw(), v.salt())).isEqualTo(v.stored());
        }
    }

    @Test
    void saltedHashesNeedTheirSalt() {
        PasswordHash h = PasswordHash.parse("salt,sha256");
        String stored = h.hash("public".getBytes(), "s1");
        assertThat(h.matches("public".getBytes(), stored, "s1")).isTrue();
        assertThat(h.matches("public".getBytes(), stored, null)).isFalse();
        assertThat(h.matches("public".getBytes(), stored, "s2")).isFalse();
    }

    @Test
    void plainIsCaseSensitive() {
        assertThat(PasswordHash.PLAIN.matches("Public".getBytes(), "public", null)).isFalse();
    }

    @Test
    void bcryptWithAForeignSaltColumnNeverMatches() {
        String stored = PasswordHash.bcrypt("public".getBytes(), 4);
        PasswordHash h = PasswordHash.parse("salt,bcrypt");
        assertThat(h.matches("public".getBytes(), stored, stored.substring(0, 29))).isTrue();
        assertThat(h.matches("public".getBytes(), stored, "$2a$04$AAAAAAAAAAAAAAAAAAAAAA")).isFalse();
        assertThat(PasswordHash.parse("bcrypt").matches("public".getBytes(), "not a hash", null)).isFalse();
    }

    @Test
    void bothSpellingsAreTheSame() {
        assertThat(PasswordHash.parse("salt sha256")).hasToString("salt,sha256");
        assertThat(PasswordHash.parse(" SHA256 , salt ")).hasToString("sha256,salt");
        assertThat(PasswordHash.parse("pbkdf2,sha256,1000,20")).hasToString("pbkdf2,sha256,1000,20");
        assertThat(PasswordHash.parse("pbkdf2,sha256,1000,20").needsSalt()).isTrue();
        assertThat(PasswordHash.parse("bcrypt").needsSalt()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "md4", "salt,salt", "salt,sha256,x", "pbkdf2", "pbkdf2,md4,1,20",
        "pbkdf2,sha256,many,20", "pbkdf2,sha256,0,20", "rot13"})
    void badSettingsSayWhatWasExpected(String spec) {
        assertThatThrownBy(() -> PasswordHash.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected").hasMessageNotContaining("null");
    }
}
