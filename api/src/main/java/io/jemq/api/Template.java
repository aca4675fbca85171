package io.jemq.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A text with placeholders, parsed once (at config load) into its literal parts and its slots in order:
 * {@code uid=%u,ou=People} is the literal {@code uid=}, the slot {@code %u}, the literal {@code ,ou=People}. Per
 * request it gives the slots' values in order ({@link #parameters}) or the text with each value encoded by the
 * caller's escaping ({@link #render}); the literal parts are never escaped and a value is never parsed again.
 * Made by {@link Placeholders#template}. Immutable and thread-safe.
 *
 * <p>Syntax: {@code %} and a placeholder's letter is a slot; {@code %%} is one literal {@code %} (so {@code %%u} is
 * the text {@code %u}); a {@code %} before any other character, or at the end, is literal text.
 */
public final class Template {
    private final String source;
    private final String[] literals;            // literals[i] comes before slots[i]; one more literal than slots
    private final Placeholder[] slots;

    private Template(String source, String[] literals, Placeholder[] slots) {
        this.source = source;
        this.literals = literals;
        this.slots = slots;
    }

    /**
     * @throws IllegalArgumentException when a placeholder outside {@code available} appears, phrased to follow
     *                                  "expected" ({@link Settings#invalid})
     */
    static Template parse(String text, Set<Placeholder> available) {
        if (text == null) {
            throw new IllegalArgumentException("a text");
        }
        List<String> parts = new ArrayList<>();
        List<Placeholder> found = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != '%' || i + 1 == text.length()) {
                literal.append(ch);
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '%') {
                literal.append('%');
                i++;
                continue;
            }
            Placeholder p = Placeholder.of(next);
            if (p == null) {
                literal.append(ch);                 // not a placeholder: the % is text, the next char is read next
                continue;
            }
            Placeholders.requireAvailable(p, available);
            parts.add(literal.toString());
            literal.setLength(0);
            found.add(p);
            i++;
        }
        parts.add(literal.toString());
        return new Template(text, parts.toArray(String[]::new), found.toArray(Placeholder[]::new));
    }

    /** The text as configured. */
    public String source() {
        return source;
    }

    /** The slots in order of appearance; a placeholder written twice is two slots. */
    public List<Placeholder> slots() {
        return List.of(slots);
    }

    /** The literal parts (with {@code %%} read as {@code %}): one before each slot, and one after the last. */
    public List<String> literals() {
        return List.of(literals);
    }

    /** Whether the template has no slot at all. */
    public boolean isConstant() {
        return slots.length == 0;
    }

    /**
     * The placeholder when the whole template is exactly one, such as {@code %u}: EMQ's rule for Mongo selectors and
     * 2.x HTTP parameters ("a value is replaced only when it equals a placeholder").
     */
    public Optional<Placeholder> sole() {
        return slots.length == 1 && literals[0].isEmpty() && literals[1].isEmpty() ? Optional.of(slots[0])
                : Optional.empty();
    }

    /** The value of each slot in slot order; null for an absent value. For binding, never for pasting. */
    public List<String> parameters(PlaceholderValues values) {
        String[] out = new String[slots.length];
        for (int i = 0; i < slots.length; i++) {
            out[i] = values.get(slots[i]);
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /** The slots whose value is absent in {@code values}, each once: a backend may IGNORE instead of asking. */
    public Set<Placeholder> unfilled(PlaceholderValues values) {
        Set<Placeholder> out = EnumSet.noneOf(Placeholder.class);
        for (Placeholder p : slots) {
            if (values.get(p) == null) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The text with each slot's value passed through {@code escape} (an absent value is empty text). The escaping
     * is what makes the value safe where it lands: {@link Placeholders#escapeDnValue} in an LDAP DN,
     * {@link Placeholders#escapeFilterValue} in an LDAP filter, {@link UnaryOperator#identity()} for a value that
     * is a whole argument or parameter on its own (a Redis argument, an HTTP parameter encoded afterwards).
     */
    public String render(PlaceholderValues values, UnaryOperator<String> escape) {
        if (slots.length == 0) {
            return literals[0];
        }
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (int i = 0; i < slots.length; i++) {
            sb.append(literals[i]);
            String value = values.get(slots[i]);
            if (value != null) {
                sb.append(escape.apply(value));
            }
        }
        return sb.append(literals[slots.length]).toString();
    }

    /** {@link #render} without escaping: for a value that becomes one whole argument or parameter. */
    public String render(PlaceholderValues values) {
        return render(values, UnaryOperator.identity());
    }

    @Override
    public String toString() {
        return source;
    }
}
