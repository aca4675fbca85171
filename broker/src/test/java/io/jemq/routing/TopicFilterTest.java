package io.jemq.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @ParameterizedTest(name = "{0} → filter {1}, group {2}")
    @CsvSource(nullValues = "null", textBlock = """
            a/b,                   a/b,          null
            #,                     #,            null
            $SYS/#,                $SYS/#,       null
            $share/g1/a/+,         a/+,          g1
            $share/g1/#,           #,            g1
            $share/consumer1//finance, /finance, consumer1
            $share/g/$share/x,     $share/x,     g
            $queue/jobs/#,         jobs/#,       $queue
            $local/a/b,            a/b,          null
            $local/$share/g/t,     t,            g
            $local/$queue/t,       t,            $queue
            $share,                $share,       null
            $sharex/g/t,           $sharex/g/t,  null
            """)
    void parses(String raw, String filter, String group) {
        TopicFilter f = TopicFilter.parse(raw);
        assertThat(f.filter()).isEqualTo(filter);
        assertThat(f.shareGroup()).isEqualTo(group);
        assertThat(f.shared()).isEqualTo(group != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/", "$share/g", "$share//t", "$share/g/", "$share/g+/t", "$share/#/t",
            "$share/a#b/t", "$queue/", "$local/", "$share/g/a/#/b", "a#", "+a", ""})
    void rejects(String raw) {
        assertThatIllegalArgumentException().isThrownBy(() -> TopicFilter.parse(raw));
    }
}
