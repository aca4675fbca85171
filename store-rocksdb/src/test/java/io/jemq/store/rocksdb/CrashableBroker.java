package io.jemq.store.rocksdb;

import io.jemq.Broker;
import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
        broker.start().join();
        System.out.println("READY " + broker.boundPort("tcp.external"));
        System.out.flush();
        Thread.currentThread().join();
    }
}
