package io.jemq.auth.mongo;

import io.jemq.api.PlaceholderValues;
import io.jemq.api.Placeholders;
import io.jemq.api.Placeholder;
import io.jemq.api.Template;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One EMQ selector, {@code username=%u} or {@code username=%u, clientid=%c}: {@code field=value} pairs, all of which a
 * document must have (one filter document, so MongoDB ANDs them). Parsed once at load; per request each value is put
 * into the filter as a string value: a username {@code {"$ne":1}} is that text, never an operator, since it is never
 * parsed. A value that is text alone ({@code username=$all}) is a literal; placeholders are filled wherever they are.
 * Immutable and thread-safe.
 */
record MongoSelector(String source, List<String> fields, List<Template> values) {

    /** @throws IllegalArgumentException phrased to follow "expected" */
    static MongoSelector parse(String text, Set<Placeholder> available) {
        List<String> fields = new ArrayList<>();
        List<Template> values = new ArrayList<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String field = eq < 0 ? "" : pair.substring(0, eq).strip();
            if (field.isEmpty() || field.startsWith("$")) {
                throw new IllegalArgumentException("field=value pairs separated by commas, such as username=%u or "
                        + "username=%u, clientid=%c");
            }
            fields.add(field);
            values.add(Placeholders.template(pair.substring(eq + 1).strip(), available));
        }
        return new MongoSelector(text.strip(), List.copyOf(fields), List.copyOf(values));
    }

    /** Whether a value is missing (no username): a filter on an empty value would ask about another document. */
    boolean unfilled(PlaceholderValues v) {
        return values.stream().anyMatch(t -> !t.unfilled(v).isEmpty());
    }

    /** The filter document for one request; every value a string. */
    Document filter(PlaceholderValues v) {
        Document d = new Document();
        for (int i = 0; i < fields.size(); i++) {
            d.append(fields.get(i), values.get(i).render(v));
        }
        return d;
    }

    @Override
    public String toString() {
        return source;
    }
}
