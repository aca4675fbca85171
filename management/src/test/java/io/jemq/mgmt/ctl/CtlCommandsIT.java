package io.jemq.mgmt.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import io.jemq.ctl.ControlClient;
import io.jemq.testkit.Clients;
import io.jemq.testkit.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control commands over the broker's control socket against real clients: EMQ's lines by default, JSON with
 * {@code --json}, usage and exit 2 for a wrong call, {@code --help} on each.
 */
class CtlCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedBroker broker;
    private static Mqtt3BlockingClient alice;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.builder().controlSocket().set("node.name", "jemq@127.0.0.1").start();
        alice = Clients.connect3(broker.port(), "alice-1", "alice", null);
        alice.subscribeWith().topicFilter("home/+/temp").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @AfterAll
    static void stop() {
        alice.disconnect();
        broker.close();
    }

    private static ControlClient.Reply ctl(String... args) {
        return broker.ctl(args);
    }

    @Test
    void statusAndBrokerPrintEmqsLines() {
        ControlClient.Reply status = ctl("status");
        assertThat(status.code()).isZero();
        assertThat(status.output()).matches("Node 'jemq@127\\.0\\.0\\.1' is started\njemq \\S+ is running\n");

        assertThat(ctl("broker").output()).matches("sysdescr  : jemq.*\nversion   : \\S+\n"
                + "uptime    : \\d+ seconds\ndatetime  : \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\n");
        assertThat(ctl("broker", "stats").output()).contains("clients/count       : 1\n", "topics/count        : 1\n");
        assertThat(ctl("broker", "metrics").output())
                .contains("packets/connect         : ", "messages/qos2/dropped   : ");
        assertThat(ctl("cluster", "status").output())
                .isEqualTo("Cluster status: [{running_nodes,['jemq@127.0.0.1']}]\n");
    }

    @Test
    void clientsListShowAndKick() throws Exception {
        assertThat(ctl("clients", "list").output()).matches("Client\\(alice-1, clean_sess=true, username=alice, "
                + "peername=127\\.0\\.0\\.1:\\d+, connected_at=\\d{10}\\)\n");
        assertThat(ctl("clients", "show", "nobody").output()).isEqualTo("Not Found.\n");
        assertThat(ctl("clients", "show", "nobody").code()).isEqualTo(1);

        JsonNode shown = JSON.readTree(ctl("clients", "show", "alice-1", "--json").output());
        assertThat(shown.get("client_id").asText()).isEqualTo("alice-1");
        assertThat(shown.get("proto_ver").asInt()).isEqualTo(4);

        Mqtt3BlockingClient victim = Clients.v3(broker, "victim");
        victim.connect();
        ControlClient.Reply kick = ctl("clients", "kick", "victim");
        assertThat(kick.code()).isZero();
        assertThat(kick.output()).isEqualTo("ok\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> !victim.getState().isConnected());
    }

    @Test
    void sessionsRoutesTopicsAndSubscriptions() throws Exception {
        assertThat(ctl("sessions", "list").output()).matches("Session\\(alice-1, clean_sess=true, subscriptions=1, "
                + "max_inflight=32, inflight=0, mqueue_len=0, mqueue_dropped=0, awaiting_rel=0, deliver_msg=\\d+, "
                + "enqueue_msg=\\d+, created_at=\\d{10}\\)\n");
        assertThat(ctl("sessions", "list", "persistent").output()).isEmpty();
        assertThat(ctl("routes", "list").output()).isEqualTo("home/+/temp -> jemq@127.0.0.1\n");
        assertThat(ctl("routes", "show", "home/+/temp").output()).isEqualTo("home/+/temp -> jemq@127.0.0.1\n");
        assertThat(ctl("topics", "list").output()).isEqualTo("home/+/temp\n");
        assertThat(ctl("subscriptions", "show", "alice-1").output()).isEqualTo("alice-1 -> home/+/temp\n");

        try (Mqtt3BlockingClient.Mqtt3Publishes received = Clients.publishes(alice)) {
            assertThat(ctl("subscriptions", "add", "alice-1", "ops/cmd", "1").output()).isEqualTo("ok\n");
            Mqtt3BlockingClient ops = Clients.v3(broker, "ops");
            ops.connect();
            ops.publishWith().topic("ops/cmd").payload("restart".getBytes(StandardCharsets.UTF_8)).send();
            ops.disconnect();
            assertThat(Clients.text(Clients.next(received))).isEqualTo("restart");
        }
        JsonNode subs = JSON.readTree(ctl("subscriptions", "show", "alice-1", "--json").output());
        assertThat(subs).hasSize(2);
        assertThat(subs.get(1).get("topic").asText()).isEqualTo("ops/cmd");
        assertThat(subs.get(1).get("qos").asInt()).isEqualTo(1);
        assertThat(ctl("subscriptions", "del", "alice-1", "ops/cmd").output()).isEqualTo("ok\n");
        assertThat(ctl("subscriptions", "show", "alice-1").output()).isEqualTo("alice-1 -> home/+/temp\n");
        assertThat(ctl("subscriptions", "add", "nobody", "t", "1").output()).isEqualTo("Error: Session not found!\n");
        assertThat(ctl("subscriptions", "add", "alice-1", "t", "3").output()).isEqualTo("QoS should be 0, 1, 2\n");
    }

    @Test
    void listenersVmAndPlugins() throws Exception {
        assertThat(ctl("listeners").output()).matches("listener on mqtt:tcp:127\\.0\\.0\\.1:\\d+\n"
                + "  acceptors       : \\d+\n  max_clients     : \\d+\n  current_clients : [12]\n"
                + "  shutdown_count  : \\[]\n");
        assertThat(ctl("vm").output()).contains("cpu/load1", "memory/heap_used", "process/count", "io/max_fds",
                "ports/count");
        assertThat(ctl("vm", "memory").output().lines()).allMatch(l -> l.matches("memory/\\w+ +: \\d+"));
        assertThat(ctl("plugins", "list").output()).contains("Plugin(emq_auth_username, version=");
        JsonNode plugins = JSON.readTree(ctl("plugins", "list", "--json").output());
        assertThat(plugins.get("plugins").findValuesAsText("name")).contains("emq_auth_username");
    }

    @Test
    void pluginCommandsComeAndGoWithTheirPlugin() {
        assertThat(ctl("users", "list").code()).isEqualTo(2);             // unknown until the plugin is loaded
        assertThat(ctl("plugins", "load", "emq_auth_username", "--json").output())
                .contains("\"result\" : \"ok\"", "emq_auth_username loaded successfully.");
        try {
            assertThat(ctl("users", "add", "bob", "s3cret").output()).isEqualTo("ok\n");
            assertThat(ctl("users", "list").output()).isEqualTo("bob\n");
            assertThat(Clients.connack3(broker.port(), "bob-1", "bob", "wrong")).isEqualTo(4);
            assertThat(Clients.connack3(broker.port(), "bob-1", "bob", "s3cret")).isZero();
        } finally {
            assertThat(ctl("plugins", "unload", "emq_auth_username").output())
                    .isEqualTo("Plugin emq_auth_username unloaded successfully.\n");
        }
    }

    @Test
    void wrongCallsShowUsageAndHelpExplainsEachCommand() {
        ControlClient.Reply wrong = ctl("clients", "everything");
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.output()).startsWith("Usage:\n").contains("clients kick <ClientId>");
        ControlClient.Reply help = ctl("sessions", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.output()).contains("sessions list persistent", "sessions show <ClientId>");
        assertThat(ctl("help").output()).contains("status", "broker stats", "trace client <ClientId> <LogFile>",
                "subscriptions add <ClientId> <Topic> <QoS>", "vm all", "cluster status", "listeners", "acl reload");
    }
}
