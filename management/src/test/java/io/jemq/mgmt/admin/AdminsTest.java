package io.jemq.mgmt.admin;

import ch.qos.logback.classic.Level;
import io.jemq.ctl.ControlClient;
import io.jemq.mgmt.http.Api;
import io.jemq.mgmt.http.HttpApiModule;
import io.jemq.testkit.EmbeddedBroker;
import io.jemq.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's admins: the shipped admin/public warned about at every start and in every answer until it is changed,
 * admins kept as bcrypt hashes in the data folder across restarts, managed through the API and the admins ctl command.
 */
class AdminsTest {
    @TempDir
    Path home;

    private EmbeddedBroker.Builder fixture() {
        return EmbeddedBroker.in(home).controlSocket().set("listener.api.mgmt", "127.0.0.1:0");
    }

    private static long warnings(LogCapture log) {
        return log.messages(Level.WARN).stream().filter(m -> m.contains("shipped password")).count();
    }

    @Test
    void theShippedPasswordIsWarnedAboutUntilItIsChanged() {
        EmbeddedBroker.Builder f = fixture();
        try (LogCapture log = new LogCapture(HttpApiModule.class.getName())) {
            try (EmbeddedBroker b = f.start()) {
                Api api = Api.of(b);
                assertThat(warnings(log)).isEqualTo(1);
                Api.Answer auth = api.anonymous().post("/api/v2/auth", "{\"username\":\"admin\",\"password\":"
                        + "\"public\"}");
                assertThat(auth.result().get("warning").asText()).contains("shipped password");
                assertThat(api.get("/api/v2/users").headers().firstValue("Warning").orElseThrow())
                        .contains("shipped");
                assertThat(f.ctl("admins", "list").output()).contains("Admin(admin, tags=administrator)",
                        "Warning: admin still has the shipped password");

                Api.Answer wrongOld = api.put("/api/v2/change_pwd/admin", "{\"old_pwd\":\"x\",\"new_pwd\":\"s3cret\"}");
                assertThat(wrongOld.json().get("code").asInt()).isEqualTo(114);
                assertThat(api.put("/api/v2/change_pwd/admin", "{\"old_pwd\":\"public\",\"new_pwd\":\"s3cret\"}")
                        .json().get("code").asInt()).isZero();
                assertThat(api.get("/api/v2/users").status()).isEqualTo(401);
                Api.Answer now = api.as("admin", "s3cret").get("/api/v2/users");
                assertThat(now.status()).isEqualTo(200);
                assertThat(now.headers().firstValue("Warning")).isEmpty();
            }
            try (EmbeddedBroker b = f.start()) {
                assertThat(warnings(log)).isEqualTo(1);          // the second start had nothing to warn about
                assertThat(Api.of(b).as("admin", "s3cret").get("/api/v2/users").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void adminsThroughTheApiAreKeptHashed() throws Exception {
        EmbeddedBroker.Builder f = fixture();
        try (EmbeddedBroker b = f.start()) {
            Api api = Api.of(b);
            assertThat(api.post("/api/v2/users", "{\"username\":\"ops\",\"password\":\"pw1\",\"tags\":\"viewer\"}")
                    .json().get("code").asInt()).isZero();
            assertThat(api.post("/api/v2/users", "{\"username\":\"ops\",\"password\":\"pw1\"}").json().get("code")
                    .asInt()).isEqualTo(113);
            assertThat(api.post("/api/v2/users", "{\"username\":\"ops2\"}").json().get("code").asInt())
                    .isEqualTo(107);
            assertThat(api.get("/api/v2/users").result().toString())
                    .isEqualTo("[{\"username\":\"admin\",\"tags\":\"administrator\"},"
                            + "{\"username\":\"ops\",\"tags\":\"viewer\"}]");
            assertThat(api.put("/api/v2/users/ops", "{\"tags\":\"operator\"}").json().get("code").asInt()).isZero();
            assertThat(api.get("/api/v2/users/ops").result().get("tags").asText()).isEqualTo("operator");
            assertThat(api.as("ops", "pw1").get("/api/v2/routes").status()).isEqualTo(200);
            assertThat(api.anonymous().post("/api/v2/auth", "{\"username\":\"ops\",\"password\":\"bad\"}")
                    .json().get("code").asInt()).isEqualTo(103);
            assertThat(api.anonymous().post("/api/v2/auth", "{\"username\":\"\",\"password\":\"\"}")
                    .json().get("code").asInt()).isEqualTo(104);
            assertThat(api.delete("/api/v2/users/admin").json().get("code").asInt()).isEqualTo(106);
            assertThat(api.get("/api/v2/users/nobody").json().get("code").asInt()).isEqualTo(105);
        }
        Path file = home.resolve("data").resolve(AdminStore.FILE_NAME);
        String stored = Files.readString(file);
        assertThat(stored).contains("\"username\" : \"ops\"", "$2a$10$").doesNotContain("pw1", "public");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (EmbeddedBroker b = f.start()) {
            Api api = Api.of(b);
            assertThat(api.as("ops", "pw1").get("/api/v2/users").status()).isEqualTo(200);
            assertThat(api.delete("/api/v2/users/ops").json().get("code").asInt()).isZero();
            assertThat(api.as("ops", "pw1").get("/api/v2/users").status()).isEqualTo(401);
        }
    }

    @Test
    void theAdminsCtlCommand() {
        EmbeddedBroker.Builder f = fixture();
        try (EmbeddedBroker b = f.start()) {
            Api api = Api.of(b);
            ControlClient.Reply add = f.ctl("admins", "add", "dash", "pw", "viewer");
            assertThat(add.output()).isEqualTo("ok\n");
            assertThat(add.code()).isZero();
            assertThat(f.ctl("admins", "add", "dash", "pw", "viewer").output()).isEqualTo(
                    "Error: user dash already exists\n");
            assertThat(api.as("dash", "pw").get("/api/v2/users").status()).isEqualTo(200);
            assertThat(f.ctl("admins", "passwd", "dash", "pw2").output()).isEqualTo("ok\n");
            assertThat(api.as("dash", "pw").get("/api/v2/users").status()).isEqualTo(401);
            assertThat(api.as("dash", "pw2").get("/api/v2/users").status()).isEqualTo(200);
            assertThat(f.ctl("admins", "list").output()).contains("Admin(dash, tags=viewer)");
            assertThat(f.ctl("admins", "del", "dash").output()).isEqualTo("ok\n");
            assertThat(f.ctl("admins", "del", "admin").output()).isEqualTo("Error: the admin user cannot be deleted\n");
            ControlClient.Reply usage = f.ctl("admins", "frobnicate");
            assertThat(usage.code()).isEqualTo(2);
            assertThat(usage.output()).contains("admins add <Username> <Password> <Tags>");
        }
    }
}
