package io.jemq.cluster.hazelcast;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.ctl.ControlClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One jemq node in a process of its own, for the cluster tests to start three of and kill one with SIGKILL (the
 * pattern of the disk store's CrashableBroker). Arguments: home folder, then {@code key=value} settings. Prints
 * {@code READY <mqtt port>} once its listener accepts connections; answers {@code ctl} on {@code <home>/ctl.sock}.
 */
public final class ClusterNode {
    /**
     * The access Hazelcast asks for on Java 17 (its ModularJavaUtils check; bin/jemq passes the same): without them it
     * warns at start and falls back to slower paths.
     */
    static final List<String> HAZELCAST_JVM_OPTIONS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    final String name;
    final Path home;
    final Process process;
    final int mqttPort;
    final int clusterPort;
    /** The port of its message link (cluster.link.port), which the other nodes connect to. */
    final int linkPort;
    /** What the node logged so far. */
    final List<String> output;

    private ClusterNode(String name, Path home, Process process, int mqttPort, int clusterPort, int linkPort,
                        List<String> output) {
        this.output = output;
        this.name = name;
        this.home = home;
        this.process = process;
        this.mqttPort = mqttPort;
        this.clusterPort = clusterPort;
        this.linkPort = linkPort;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Files.createDirectories(home.resolve("etc/plugins"));
        Files.createDirectories(home.resolve("data"));
        Path acl = home.resolve("etc/acl.conf");
        Files.writeString(acl, "");
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listener.tcp.external", "127.0.0.1:0");
        conf.put("mqtt.acl_file", acl.toString());
        conf.put("mqtt.plugins.etc_dir", home.resolve("etc/plugins").toString());
        conf.put("mqtt.plugins.loaded_file", home.resolve("data/loaded_plugins").toString());
        conf.put("node.data_dir", home.resolve("data").toString());
        conf.put("node.ctl_socket", home.resolve("ctl.sock").toString());
        conf.put("mqtt.storage", "memory");
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            conf.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Broker broker = Broker.builder().settings(BrokerSettings.from(ConfFile.of(conf))).build();
        broker.start().join();
        System.out.println("READY " + broker.boundPort("tcp.external"));
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts a node in a new JVM with this test class path; waits (90 s at most) for its READY line. */
    static ClusterNode launch(String name, Path home, int clusterPort, String... settings) throws IOException {
        Files.createDirectories(home);
        int linkPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(HAZELCAST_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                home.toString(), "node.name=" + name, "cluster.listen=127.0.0.1:" + clusterPort,
                "cluster.link.port=" + linkPort));
        command.addAll(List.of(settings));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("READY ")) {
                        ready.complete(Integer.parseInt(line.substring(6).strip()));
                    } else {
                        System.out.println("  " + name + ": " + line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready"));
        }, "node-output-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            return new ClusterNode(name, home, p, ready.get(90, TimeUnit.SECONDS), clusterPort, linkPort,
                    output);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not start", e);
        }
    }

    /** {@code bin/jemq ctl} on this node; its output. */
    String ctl(String... args) throws IOException {
        return ControlClient.send(home.resolve("ctl.sock"), List.of(args)).output();
    }

    /** Sends the process a signal ({@code STOP}, {@code CONT}): a node that stops reading, then resumes. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * {@code n} different ports free now on the loopback address, below the ephemeral range (32768 and up): a port
     * handed out by the kernel could be taken by an outgoing connection, of this test or another process, before the
     * node binds it.
     */
    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = bindBelowEphemeral();
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static ServerSocket bindBelowEphemeral() throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
            try {
                return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (IOException taken) {
                if (attempt == 100) {
                    throw taken;
                }
            }
        }
    }

    /** A port free now on the loopback address. */
    static int freePort() throws IOException {
        return freePorts(1)[0];
    }
}
