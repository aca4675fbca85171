package io.jemq.store.rocksdb;

import io.jemq.Broker;
import io.jemq.api.BrokerListener;
import io.jemq.api.ClientInfo;
import io.jemq.api.DisconnectReason;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A broker on the disk store in a process of its own, for {@link BrokerCrashIT} to kill with SIGKILL. Arguments: the
 * home folder, the port, then {@code key=value} settings. Prints {@code READY} once its listener accepts connections.
 */
public final class CrashableBroker {
    private CrashableBroker() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Files.createDirectories(home.resolve("etc/plugins"));
        Files.createDirectories(home.resolve("data"));
        Path acl = home.resolve("etc/acl.conf");
        if (!Files.exists(acl)) {
            Files.writeString(acl, "");
        }
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listener.tcp.external", "127.0.0.1:" + args[1]);
        conf.put("mqtt.acl_file", acl.toString());
        conf.put("mqtt.plugins.etc_dir", home.resolve("etc/plugins").toString());
        conf.put("mqtt.plugins.loaded_file", home.resolve("data/loaded_plugins").toString());
        conf.put("node.data_dir", home.resolve("data").toString());
        conf.put("mqtt.storage", "disk");
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            conf.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Broker broker = Broker.builder().settings(BrokerSettings.from(ConfFile.of(conf))).build();
        broker.events().add(new BrokerListener() {
            @Override
            public void clientDisconnected(ClientInfo client, DisconnectReason reason) {
                System.out.println("DISCONNECTED " + client.clientId());      // a test may wait for it
            }
        });
        broker.start().join();
        System.out.println("READY " + broker.boundPort("tcp.external"));
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * Starts one in a new JVM with this test class path and waits (60 s at most) for its READY line; echoes its
     * recovery, error and exception lines. Kill it with {@link Process#destroyForcibly()} (SIGKILL on Linux).
     */
    static Process launch(Path home, int port, String... settings) throws IOException {
        return launch(home, port, line -> { }, settings);
    }

    /** As {@link #launch(Path, int, String...)}, handing every line the broker prints to {@code lines}. */
    static Process launch(Path home, int port, Consumer<String> lines, String... settings) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), CrashableBroker.class.getName(), home.toString(),
                String.valueOf(port)));
        command.addAll(List.of(settings));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.accept(line);
                    if (line.startsWith("READY")) {
                        ready.complete(null);
                    } else if (line.contains("recovered") || line.contains("ERROR") || line.contains("Exception")) {
                        System.out.println("  broker: " + line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            }
            ready.completeExceptionally(new IllegalStateException("the broker exited before it was ready"));
        }, "crash-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("broker did not start", e);
        }
        return p;
    }

    /** A port free now on the loopback address. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
