package io.jemq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The jemq version, stamped into {@code jemq.properties} by the build, for {@code --version} and the start-up line. */
public final class Version implements IVersionProvider {
    private static final String VERSION = read();

    public static String current() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jemq " + VERSION};
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("jemq.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
