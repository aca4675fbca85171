package io.jemq.access.acl;

import java.util.List;

/** An Erlang term as acl.conf writes it, with the position it starts at (for error messages). */
public sealed interface Term {
    int line();

    int column();

    /** What a reader calls this kind of term in an error message. */
    String describe();

    record Atom(String name, int line, int column) implements Term {
        @Override
        public String describe() {
            return "the atom " + name;
        }
    }

    record Str(String text, int line, int column) implements Term {
        @Override
        public String describe() {
            return "the string \"" + text + "\"";
        }
    }

    record Int(long value, int line, int column) implements Term {
        @Override
        public String describe() {
            return "the number " + value;
        }
    }

    record Tuple(List<Term> elements, int line, int column) implements Term {
        @Override
        public String describe() {
            return "a tuple of " + elements.size();
        }
    }

    record ListTerm(List<Term> elements, int line, int column) implements Term {
        @Override
        public String describe() {
            return "a list";
        }
    }
}
