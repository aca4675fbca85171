package io.jemq.access.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the Erlang terms of a {@code file:consult} file such as acl.conf: each term ends with a full stop, comments
 * run from {@code %} to the end of the line. Understands atoms (plain or quoted), strings, integers, tuples and
 * lists, which is all acl.conf uses; anything else is an error with its line and column. A tokenizer and a
 * recursive-descent parser, nested at most {@value #MAX_DEPTH} deep so that no input can exhaust the stack.
 */
public final class TermReader {
    static final int MAX_DEPTH = 64;

    private enum Kind { ATOM, STRING, INT, LBRACE, RBRACE, LBRACKET, RBRACKET, COMMA, DOT, EOF }

    private record Token(Kind kind, String text, int line, int column) {
        String describe() {
            return switch (kind) {
                case ATOM -> "the atom " + text;
                case STRING -> "a string";
                case INT -> "the number " + text;
                case EOF -> "the end of the file";
                default -> "'" + text + "'";
            };
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int column = 1;
    private Token next;

    private TermReader(String src) {
        this.src = src;
    }

    /** All the terms of a file, in order. @throws AclSyntaxException at the first problem */
    public static List<Term> read(String text) {
        TermReader r = new TermReader(text);
        r.advance();
        List<Term> terms = new ArrayList<>();
        while (r.next.kind != Kind.EOF) {
            terms.add(r.term(0));
            r.expect(Kind.DOT, "a full stop '.' after the term");
        }
        return terms;
    }

    // ---------------------------------------------------------------- parser

    private Term term(int depth) {
        Token t = next;
        if (depth >= MAX_DEPTH) {
            throw error(t, "terms nested more than " + MAX_DEPTH + " deep");
        }
        switch (t.kind) {
            case ATOM -> {
                advance();
                return new Term.Atom(t.text, t.line, t.column);
            }
            case STRING -> {
                advance();
                return new Term.Str(t.text, t.line, t.column);
            }
            case INT -> {
                advance();
                try {
                    return new Term.Int(Long.parseLong(t.text), t.line, t.column);
                } catch (NumberFormatException e) {
                    throw error(t, "the number " + t.text + " is too large");
                }
            }
            case LBRACE -> {
                advance();
                return new Term.Tuple(elements(Kind.RBRACE, "}", depth), t.line, t.column);
            }
            case LBRACKET -> {
                advance();
                return new Term.ListTerm(elements(Kind.RBRACKET, "]", depth), t.line, t.column);
            }
            default -> throw error(t, "expected a term (atom, string, number, {...} or [...]), got " + t.describe());
        }
    }

    private List<Term> elements(Kind close, String closeText, int depth) {
        List<Term> items = new ArrayList<>();
        if (next.kind == close) {
            advance();
            return items;
        }
        while (true) {
            items.add(term(depth + 1));
            if (next.kind == close) {
                advance();
                return items;
            }
            expect(Kind.COMMA, "',' or '" + closeText + "'");
        }
    }

    private void expect(Kind kind, String what) {
        if (next.kind != kind) {
            throw error(next, "expected " + what + ", got " + next.describe());
        }
        advance();
    }

    private static AclSyntaxException error(Token t, String problem) {
        return new AclSyntaxException(t.line, t.column, problem);
    }

    // ---------------------------------------------------------------- tokenizer

    private void advance() {
        skipBlanksAndComments();
        int startLine = line;
        int startColumn = column;
        if (pos >= src.length()) {
            next = new Token(Kind.EOF, "", startLine, startColumn);
            return;
        }
        char c = src.charAt(pos);
        Kind punct = switch (c) {
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case ',' -> Kind.COMMA;
            case '.' -> Kind.DOT;
            default -> null;
        };
        if (punct != null) {
            take();
            next = new Token(punct, String.valueOf(c), startLine, startColumn);
        } else if (c >= 'a' && c <= 'z') {
            next = new Token(Kind.ATOM, word(), startLine, startColumn);
        } else if (c == '\'') {
            next = new Token(Kind.ATOM, quoted('\'', startLine, startColumn), startLine, startColumn);
        } else if (c == '"') {
            next = new Token(Kind.STRING, quoted('"', startLine, startColumn), startLine, startColumn);
        } else if (isDigit(c) || c == '-' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1))) {
            StringBuilder sb = new StringBuilder().append(take());
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                sb.append(take());
            }
            next = new Token(Kind.INT, sb.toString(), startLine, startColumn);
        } else if (c >= 'A' && c <= 'Z' || c == '_') {
            throw new AclSyntaxException(startLine, startColumn, "unexpected variable " + word()
                    + ": acl.conf takes no variables; quote it ('" + "...') for an atom or use \"...\" for a string");
        } else {
            throw new AclSyntaxException(startLine, startColumn, "unexpected character " + printable(c));
        }
    }

    private void skipBlanksAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '%') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    take();
                }
            } else if (Character.isWhitespace(c) || c == '\uFEFF') {
                take();
            } else {
                return;
            }
        }
    }

    private String word() {
        int start = pos;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '@')) {
                break;
            }
            take();
        }
        return src.substring(start, pos);
    }

    private String quoted(char quote, int startLine, int startColumn) {
        take();
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new AclSyntaxException(startLine, startColumn, (quote == '"' ? "string" : "quoted atom")
                        + " not closed: missing " + quote);
            }
            char c = take();
            if (c == quote) {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= src.length()) {
                    continue;                              // reported as not closed on the next turn
                }
                char e = take();
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 's' -> ' ';
                    default -> e;                          // \\ \" \' and any other character stand for themselves
                });
            } else {
                sb.append(c);
            }
        }
    }

    private char take() {
        char c = src.charAt(pos++);
        if (c == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        return c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
