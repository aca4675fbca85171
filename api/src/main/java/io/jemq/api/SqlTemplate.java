package io.jemq.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An SQL query whose placeholders are the query's parameters: {@code select password from mqtt_user where
 * username = '%u' limit 1} becomes {@link #sql()} {@code select password from mqtt_user where username = ? limit 1}
 * and one slot, {@code %u}; per request {@link #parameters} gives the values to bind with
 * {@code PreparedStatement.setString(i + 1, value)} (setNull for a null), in slot order. A value is never pasted into
 * the query, so a username {@code x' or '1'='1} is just a username. Made by {@link Placeholders#sql} at config
 * load; immutable and thread-safe.
 *
 * <p>Reading the query:
 * <ul>
 *   <li>{@code '%u'}, {@code "%u"} (a string in MySQL) and a bare {@code %u} each become one {@code ?}. EMQ 2.3 knew
 *       only the quoted form and left a bare one as text; binding both is what the query meant.</li>
 *   <li>A placeholder that is only part of a string ({@code 'user:%u'}) or inside a {@code `identifier`} is
 *       refused at load: it cannot be bound without pasting.</li>
 *   <li>{@code %%} is one literal {@code %}, inside strings too ({@code like 'a%%'} is {@code like 'a%'}); a
 *       {@code %} before any other letter stays as written ({@code like 'a%'}).</li>
 *   <li>Strings use SQL's quoting ({@code 'it''s'}), not backslashes. Comments ({@code -- ...},
 *       {@code /* ... *}{@code /}) are copied as they are, placeholders in them included.</li>
 *   <li>A {@code ?} outside strings and comments is refused: it would be a parameter jemq does not fill.</li>
 * </ul>
 */
public final class SqlTemplate {
    private final String source;
    private final String sql;
    private final Placeholder[] slots;

    private SqlTemplate(String source, String sql, Placeholder[] slots) {
        this.source = source;
        this.sql = sql;
        this.slots = slots;
    }

    /** @throws IllegalArgumentException phrased to follow "expected" ({@link Settings#invalid}) */
    static SqlTemplate parse(String query, Set<Placeholder> available) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("an SQL query");
        }
        StringBuilder sql = new StringBuilder(query.length());
        List<Placeholder> slots = new ArrayList<>();
        int n = query.length();
        int i = 0;
        while (i < n) {
            char ch = query.charAt(i);
            char next = i + 1 < n ? query.charAt(i + 1) : 0;
            if (ch == '\'' || ch == '"') {
                i = quoted(query, i, available, sql, slots);
            } else if (ch == '`') {
                int end = closing(query, i);
                String inside = query.substring(i + 1, end);
                Template t = Template.parse(inside, EnumSet.allOf(Placeholder.class));
                if (!t.isConstant()) {
                    throw new IllegalArgumentException("placeholders only where a value goes, not in an identifier"
                            + " such as `" + inside + "`");
                }
                sql.append('`').append(t.literals().get(0)).append('`');
                i = end + 1;
            } else if (ch == '-' && next == '-') {
                int end = query.indexOf('\n', i);
                end = end < 0 ? n : end;
                sql.append(query, i, end);
                i = end;
            } else if (ch == '/' && next == '*') {
                int end = query.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                sql.append(query, i, end);
                i = end;
            } else if (ch == '?') {
                throw new IllegalArgumentException("no ? outside quotes: jemq binds the placeholders as the query's "
                        + "parameters, and fills no other");
            } else if (ch == '%' && next == '%') {
                sql.append('%');
                i += 2;
            } else if (ch == '%' && Placeholder.of(next) != null) {
                Placeholder p = Placeholder.of(next);
                Placeholders.requireAvailable(p, available);
                sql.append('?');
                slots.add(p);
                i += 2;
            } else {
                sql.append(ch);
                i++;
            }
        }
        return new SqlTemplate(query, sql.toString(), slots.toArray(Placeholder[]::new));
    }

    /** A quoted string from {@code start} (its opening quote); returns the index after its closing quote. */
    private static int quoted(String query, int start, Set<Placeholder> available, StringBuilder sql,
                              List<Placeholder> slots) {
        char quote = query.charAt(start);
        int end = closing(query, start);
        String inside = query.substring(start + 1, end);
        Template t = Template.parse(inside, EnumSet.allOf(Placeholder.class));
        if (t.sole().isPresent()) {
            Placeholder p = t.sole().get();
            Placeholders.requireAvailable(p, available);
            sql.append('?');
            slots.add(p);
        } else if (!t.isConstant()) {
            throw new IllegalArgumentException("a placeholder alone between quotes, as in '%u' (its value is bound, "
                    + "never pasted into a string such as " + quote + inside + quote + ")");
        } else {
            sql.append(quote).append(t.literals().get(0)).append(quote);
        }
        return end + 1;
    }

    /** The index of the quote closing the one at {@code start}; a doubled quote inside is part of the text. */
    private static int closing(String query, int start) {
        char quote = query.charAt(start);
        for (int j = start + 1; j < query.length(); j++) {
            if (query.charAt(j) == quote) {
                if (j + 1 < query.length() && query.charAt(j + 1) == quote) {
                    j++;
                    continue;
                }
                return j;
            }
        }
        throw new IllegalArgumentException("a closing " + quote + " for the one at character " + (start + 1));
    }

    /** The query as configured. */
    public String source() {
        return source;
    }

    /** The query to prepare, with one {@code ?} per slot. */
    public String sql() {
        return sql;
    }

    /** The slots in the order of their {@code ?}. */
    public List<Placeholder> slots() {
        return List.of(slots);
    }

    /** The values to bind, in the order of the {@code ?}s; null for an absent value (bind SQL NULL). */
    public List<String> parameters(PlaceholderValues values) {
        String[] out = new String[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = values.get(slots[i]);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /** The slots whose value is absent in {@code values}, each once. */
    public Set<Placeholder> unfilled(PlaceholderValues values) {
        Set<Placeholder> out = EnumSet.noneOf(Placeholder.class);
        for (Placeholder p : slots) {
            if (values.get(p) == null) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return sql;
    }
}
