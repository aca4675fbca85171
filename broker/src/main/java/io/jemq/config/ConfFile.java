package io.jemq.config;

import java.nio.file.Path;
import java.util.Map;

/** STUB: the config helper replaces this file with the real parser. The public API below is the contract. */
public final class ConfFile {
    /** Parses an EMQ-format file; a syntax error names file and line. */
    public static ConfFile load(Path file) {
        throw new UnsupportedOperationException("stub");
    }

    /** Settings given as key/value pairs, as if they were lines of a file (tests, embedding). */
    public static ConfFile of(Map<String, String> entries) {
        throw new UnsupportedOperationException("stub");
    }

    /** A copy with one setting replaced, as {@code --set key=value} does; errors about it name {@code --set}. */
    public ConfFile with(String key, String value) {
        throw new UnsupportedOperationException("stub");
    }
}
