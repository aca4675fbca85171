package io.jemq.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.jemq.config.BrokerSettings;
import io.jemq.config.ConfFile;
import io.jemq.api.ConfigException;

/** Reads the config file, applies the {@code --set} overrides in the order given, and validates the result. */
public final class SettingsLoader {
    private SettingsLoader() {
    }

    /** @throws ConfigException naming the file (and line and key, from the config layer) when anything is wrong */
    public static BrokerSettings load(Path file, Map<String, String> overrides) {
        // Checked here so that a mistyped --config reads as such, whatever the parser does with I/O errors.
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file (give another one with --config FILE)");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(file + ": cannot read the config file (permission denied)");
        }
        ConfFile conf = ConfFile.load(file);
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            conf = conf.with(override.getKey(), override.getValue());
        }
        return BrokerSettings.from(conf);
    }
}
