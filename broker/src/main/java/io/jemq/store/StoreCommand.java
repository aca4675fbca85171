package io.jemq.store;

import io.jemq.api.ControlCommand;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** {@code ctl store}: the store's figures (type, size on disk, keys, last sync...), one {@code name: value} a line. */
public final class StoreCommand implements ControlCommand {
    private final Store store;

    public StoreCommand(Store store) {
        this.store = store;
    }

    @Override
    public List<String> usage() {
        return List.of("store                          Show the session and retained message store's figures",
                "store compact                  Compact the disk store (drops what acknowledged messages left)");
    }

    @Override
    public int run(List<String> args, PrintWriter out) {
        if (args.size() == 1 && args.get(0).equals("compact")) {
            out.println(store.compact());
            return 0;
        }
        if (!args.isEmpty()) {
            return 2;
        }
        for (Map.Entry<String, Object> e : store.figures().entrySet()) {
            out.println(e.getKey() + ": " + e.getValue());
        }
        return 0;
    }
}
