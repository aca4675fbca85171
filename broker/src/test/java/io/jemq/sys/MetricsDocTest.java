package io.jemq.sys;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/metrics.md names every figure of the table by its EMQ path and its Prometheus name. */
class MetricsDocTest {
    private static final Path DOC = Path.of("../docs/metrics.md");

    @Test
    void everyFigureIsDocumented() throws Exception {
        String doc = Files.readString(DOC);
        for (Counter c : Counter.values()) {
            assertThat(doc).contains("| `" + c.path() + "` | `" + c.prometheusName() + "` |");
        }
        for (Stat s : Stat.values()) {
            assertThat(doc).contains("| `" + s.countPath() + "`, `" + s.maxPath() + "` | `" + s.prometheusCount()
                    + "`, `" + s.prometheusMax() + "` |");
        }
        for (ListenerCounter c : ListenerCounter.values()) {
            assertThat(doc).contains("| `listeners/<id>/" + c.path() + "` | `" + c.prometheusName()
                    + "{listener=\"<id>\"}` |");
        }
        for (AuthOutcome o : AuthOutcome.values()) {
            assertThat(doc).contains("| `auth/<source>/" + o.path() + "` | `" + o.prometheusName()
                    + "{source=\"<source>\"}` |");
        }
    }
}
