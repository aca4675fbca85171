package io.jemq.access.acl;

/** A problem in an acl.conf file, at a line and column (both from 1). The message names both. */
public final class AclSyntaxException extends RuntimeException {
    private final int line;
    private final int column;

    public AclSyntaxException(int line, int column, String problem) {
        super(line + ":" + column + ": " + problem);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
