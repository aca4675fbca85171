package io.jemq.api;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named request parameters whose values hold placeholders, such as an HTTP backend's
 * {@code clientid=%c,username=%u,password=%P}. Per request it gives the filled values by name ({@link #values}), a
 * form or query string ({@link #form}, every name and value URL-encoded) or a JSON object ({@link #json}, every value a
 * JSON string). A placeholder may be the whole value or part of it ({@code user-%u}); EMQ 2.x replaced only whole
 * values, and a whole value fills the same either way. Names keep their configured order. Made by
 * {@link Placeholders#params}; immutable and thread-safe.
 */
public final class ParamsTemplate {
    private final Map<String, Template> params;

    ParamsTemplate(Map<String, Template> params) {
        this.params = params;
    }

    /** The templates by name, in configured order. */
    public Map<String, Template> templates() {
        return params;
    }

    /** Each parameter's filled value, raw (an absent value is empty text): encode it for where it goes. */
    public Map<String, String> values(PlaceholderValues values) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((name, t) -> out.put(name, t.render(values)));
        return out;
    }

    /** {@code clientid=c1&username=a%20b}: a query string or an {@code application/x-www-form-urlencoded} body. */
    public String form(PlaceholderValues values) {
        return Placeholders.formEncode(values(values));
    }

    /** {@code {"clientid":"c1","username":"a b"}}: an {@code application/json} body. */
    public String json(PlaceholderValues values) {
        return Placeholders.jsonObject(values(values));
    }

    /** The slots whose value is absent in {@code values}. */
    public Set<Placeholder> unfilled(PlaceholderValues values) {
        Set<Placeholder> out = EnumSet.noneOf(Placeholder.class);
        params.values().forEach(t -> out.addAll(t.unfilled(values)));
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v.source()));
        return sb.toString();
    }
}
