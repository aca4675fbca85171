package io.jemq.config;

import io.jemq.api.ConfigException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Fuzzes the etc/emq.conf reader: the input is the file's bytes, read with {@link ConfFile#load} and typed with
 * {@link BrokerSettings#from}. Any input must either give settings or fail with a {@link ConfigException} whose
 * message starts with the file and, but for a file that is not UTF-8, its line ({@code emq.conf:12: key: ...});
 * anything else that escapes (NullPointerException, NumberFormatException, IndexOutOfBounds, StackOverflowError, an
 * IllegalArgumentException from a getter...) is a finding. The corpus is in
 * {@code src/test/resources/io/jemq/config/ConfFileFuzzTestInputs/emqConf/}; see docs/reliability.md.
 */
class ConfFileFuzzTest {
    private static final Logger LOG = (Logger) LoggerFactory.getLogger("io.jemq.config");
    private static final Path FILE;
    private static Level level;

    static {
        try {
            FILE = Files.createTempFile("fuzz-emq", ".conf");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FILE.toFile().deleteOnExit();
    }

    private static final Pattern WHERE = Pattern.compile(Pattern.quote(FILE.toString())
            + "(: not UTF-8 text|:[1-9][0-9]*: .+)", Pattern.DOTALL);

    @BeforeAll
    static void quiet() {
        // unknown keys are warned about one line each: at thousands of inputs a second that is noise
        level = LOG.getLevel();
        LOG.setLevel(Level.ERROR);
    }

    @AfterAll
    static void restore() {
        LOG.setLevel(level);
    }

    @FuzzTest(maxDuration = "60s")
    void emqConf(byte[] input) throws IOException {
        Files.write(FILE, input);
        BrokerSettings settings;
        try {
            settings = BrokerSettings.from(ConfFile.load(FILE));
        } catch (ConfigException e) {
            if (!WHERE.matcher(e.getMessage()).matches()) {
                throw new AssertionError("a ConfigException that does not name file and line: " + e.getMessage(), e);
            }
            return;
        }
        if (settings == null) {
            throw new AssertionError("no settings and no ConfigException");
        }
    }
}
