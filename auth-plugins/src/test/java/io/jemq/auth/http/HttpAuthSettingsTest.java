package io.jemq.auth.http;

import io.jemq.api.ConfigException;
import io.jemq.api.PlaceholderValues;
import io.jemq.auth.http.HttpRequestSpec.Kind;
import io.jemq.auth.http.HttpRequestSpec.Method;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both key families read into one settings object, checked, and written back as keys that read the same. */
class HttpAuthSettingsTest {
    private static Map<String, String> conf(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void emq2xKeysAsEmqShippedThem() {
        HttpAuthSettings s = HttpAuthSettings.from(conf(
                "auth.http.auth_req", "http://127.0.0.1:8080/mqtt/auth",
                "auth.http.auth_req.method", "post",
                "auth.http.auth_req.params", "clientid=%c,username=%u,password=%P",
                "auth.http.super_req", "http://127.0.0.1:8080/mqtt/superuser",
                "auth.http.super_req.params", "clientid=%c,username=%u",
                "auth.http.acl_req", "http://127.0.0.1:8080/mqtt/acl",
                "auth.http.acl_req.params", "access=%A,username=%u,clientid=%c,ipaddr=%a,topic=%t"));

        assertThat(s.authReq().url()).hasToString("http://127.0.0.1:8080/mqtt/auth");
        assertThat(s.authReq().method()).isEqualTo(Method.POST);
        assertThat(s.authReq().params().templates()).containsOnlyKeys("clientid", "username", "password");
        assertThat(s.superAtConnect()).isSameAs(s.superReq());              // no %A/%t: asked at CONNECT (EMQ)
        assertThat(s.superPerCheck()).isNull();
        assertThat(s.aclReq().method()).isEqualTo(Method.GET);              // EMQ's acl_req default
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(s.aclCacheTtl()).isZero();
    }

    @Test
    void emqxEdgeKeysAsSeed003ConfiguresThem() {
        HttpAuthSettings s = HttpAuthSettings.from(conf(
                "auth.http.acl_req.url", "http://127.0.0.1:8991/mqtt/acl",
                "auth.http.acl_req.headers.content-type", "application/x-www-form-urlencoded",
                "auth.http.acl_req.headers.accept", "*/*",
                "auth.http.acl_req.params.clientid", "%c",
                "auth.http.acl_req.params.username", "%u",
                "auth.http.acl_req.params.topic", "%t",
                "auth.http.acl_req.params.access", "%A",
                "auth.http.super_req.url", "http://127.0.0.1:8991/mqtt/superuser",
                "auth.http.super_req.params.username", "%u",
                "auth.http.super_req.params.topic", "%t",
                "auth.http.cache_ttl", "30s"));

        assertThat(s.aclReq().method()).isEqualTo(Method.POST);             // Edge's default
        assertThat(s.aclReq().headers()).containsEntry("accept", "*/*");
        assertThat(s.aclReq().params().templates()).containsOnlyKeys("clientid", "username", "topic", "access");
        assertThat(s.superPerCheck()).isSameAs(s.superReq());               // uses %t: asked per check (Edge)
        assertThat(s.superAtConnect()).isNull();
        assertThat(s.authAsked()).isNull();
        assertThat(s.aclCacheTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theSameSettingWrittenBothWaysIsRefusedNamingBothKeys() {
        assertThatThrownBy(() -> HttpAuthSettings.from(conf(
                "auth.http.acl_req", "http://a/acl", "auth.http.acl_req.url", "http://b/acl")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auth.http.acl_req.url: expected either auth.http.acl_req or "
                        + "auth.http.acl_req.url, not both");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf(
                "auth.http.acl_req.params", "topic=%t", "auth.http.acl_req.params.topic", "%t")))
                .hasMessageContaining("not both");
    }

    @Test
    void wrongValuesNameTheirKey() {
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.acl_req.url", "ftp://x/")))
                .hasMessageContaining("auth.http.acl_req.url: expected an http:// or https:// URL");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.auth_req", "http://x/",
                "auth.http.auth_req.params", "topic=%t")))
                .hasMessageContaining("auth.http.auth_req.params: expected placeholders among");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.acl_req.url", "http://x/",
                "auth.http.acl_req.headers.host", "evil")))
                .hasMessageContaining("auth.http.acl_req.headers.host: expected a header the HTTP client may send");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.acl_req.method", "delete")))
                .hasMessageContaining("auth.http.acl_req.method: expected get, post or put, got \"delete\"");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.acl_cache_ttl", "soon")))
                .hasMessageContaining("auth.http.acl_cache_ttl: expected a duration");
        assertThatThrownBy(() -> HttpAuthSettings.from(conf("auth.http.ssl.certfile", "c.pem")))
                .hasMessageContaining("auth.http.ssl.certfile: expected auth.http.ssl.certfile and "
                        + "auth.http.ssl.keyfile set together");
    }

    @Test
    void toConfReadsBackToTheSameSettings() {
        HttpAuthSettings s = HttpAuthSettings.from(conf(
                "auth.http.auth_req", "http://127.0.0.1:8080/mqtt/auth",
                "auth.http.acl_req", "http://127.0.0.1:8080/mqtt/acl",
                "auth.http.acl_req.headers.x-api-key", "k",
                "auth.http.acl_cache_ttl", "1500ms",
                "auth.http.pool_size", "4"));

        HttpAuthSettings again = HttpAuthSettings.from(s.toConf());

        assertThat(again.toConf()).isEqualTo(s.toConf());
        assertThat(again.aclReq().method()).isEqualTo(Method.GET);          // made explicit on the way
        assertThat(again.aclCacheTtl()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.toConf()).doesNotContainKey("auth.http.super_req.url");
    }

    @Test
    void withChangesOneKeyOfEitherSpellingAndNullRestoresTheDefault() {
        HttpAuthSettings s = HttpAuthSettings.from(conf("auth.http.acl_req", "http://127.0.0.1/acl",
                "auth.http.acl_cache_ttl", "30s"));
        Map<String, String> changes = new HashMap<>();
        changes.put("auth.http.acl_req", "http://127.0.0.1/other");         // EMQ spelling of .url
        changes.put("auth.http.acl_req.params", "u=%u");                    // a list replaces every param
        changes.put("auth.http.acl_cache_ttl", null);

        HttpAuthSettings next = s.with(changes);

        assertThat(next.aclReq().url()).hasToString("http://127.0.0.1/other");
        assertThat(next.aclReq().params().templates()).containsOnlyKeys("u");
        assertThat(next.aclCacheTtl()).isZero();
        assertThatThrownBy(() -> s.with(Map.of("auth.http.acl_req.headers.x", "a\nb")))
                .hasMessageContaining("expected one line");
    }

    @Test
    void theContentTypeChoosesTheBodyAndGetSendsAQuery() throws Exception {
        HttpAuthSettings s = HttpAuthSettings.from(conf(
                "auth.http.acl_req.url", "http://127.0.0.1:1/acl?v=1",
                "auth.http.acl_req.headers.content-type", "application/json",
                "auth.http.acl_req.params.username", "%u"));
        PlaceholderValues v = PlaceholderValues.none().with(io.jemq.api.Placeholder.USERNAME, "a&b=\"c\"");

        var post = s.request(Kind.ACL_REQ).request(v, Duration.ofSeconds(1));
        var get = s.with(Map.of("auth.http.acl_req.method", "get")).request(Kind.ACL_REQ)
                .request(v, Duration.ofSeconds(1));

        assertThat(post.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(get.uri()).hasToString("http://127.0.0.1:1/acl?v=1&username=a%26b%3D%22c%22");
        assertThat(get.headers().firstValue("Content-Type")).isEmpty();      // a GET has no body to describe
    }
}
