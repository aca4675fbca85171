package io.jemq.auth.ldap;

import io.jemq.api.PasswordHash;
import io.jemq.auth.servers.SlapdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** userPassword values as OpenLDAP's own {@code slappasswd} writes them, checked the way slapd checks a bind. */
class LdapPasswordsTest {
    private static final PasswordHash SHA256 = PasswordHash.parse("sha256");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean matches(String password, String stored, PasswordHash hash)
            throws LdapPasswords.UnsupportedScheme {
        return LdapPasswords.matches(bytes(password), bytes(stored), hash);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{SSHA}", "{SHA}", "{SMD5}", "{MD5}", "{SSHA256}", "{SHA256}", "{SSHA384}", "{SHA384}",
            "{SSHA512}", "{SHA512}"})
    void everySchemeSlappasswdWritesIsChecked(String scheme) throws Exception {
        String stored = SlapdServer.hash(scheme, "pass word!");
        assertThat(stored).startsWith(scheme);

        assertThat(matches("pass word!", stored, SHA256)).isTrue();
        assertThat(matches("pass word! ", stored, SHA256)).isFalse();
        assertThat(matches("", stored, SHA256)).isFalse();
        // the scheme is read in any case, as slapd does
        assertThat(matches("pass word!", stored.replace(scheme, scheme.toLowerCase()), SHA256)).isTrue();
    }

    @Test
    void cleartextAndBcryptInCryptAreChecked() throws Exception {
        assertThat(matches("secret", "{CLEARTEXT}secret", SHA256)).isTrue();
        assertThat(matches("secret", "{CLEARTEXT}Secret", SHA256)).isFalse();
        String bcrypt = PasswordHash.bcrypt(bytes("secret"), 4);
        assertThat(matches("secret", "{CRYPT}" + bcrypt, SHA256)).isTrue();
        assertThat(matches("secreT", "{CRYPT}" + bcrypt, SHA256)).isFalse();
    }

    @Test
    void valuesWithoutASchemeAreComparedAsEmqDidWithPasswordHash() throws Exception {
        String hex = SHA256.hash(bytes("123456"), null);
        assertThat(matches("123456", hex, SHA256)).isTrue();
        assertThat(matches("123456", hex.toUpperCase(), SHA256)).isTrue();
        assertThat(matches("12345", hex, SHA256)).isFalse();
        assertThat(matches("plain", "plain", PasswordHash.PLAIN)).isTrue();
        assertThat(matches("{x", "{x", PasswordHash.PLAIN)).isTrue();         // no closing brace: no scheme
    }

    @Test
    void aSchemeJavaCannotCheckIsSaidSoAndABrokenValueNeverMatches() throws Exception {
        String crypt = SlapdServer.hash("{CRYPT}", "secret");
        assertThatThrownBy(() -> matches("secret", crypt, SHA256))
                .isInstanceOf(LdapPasswords.UnsupportedScheme.class).hasMessageContaining("{CRYPT}");
        assertThatThrownBy(() -> matches("secret", "{ARGON2}$argon2id$v=19$...", SHA256))
                .hasMessageContaining("{ARGON2} is not supported");
        assertThat(matches("secret", "{SSHA}not base64!", SHA256)).isFalse();
        assertThat(matches("secret", "{SHA}AAAA", SHA256)).isFalse();          // too short for a SHA-1
    }
}
