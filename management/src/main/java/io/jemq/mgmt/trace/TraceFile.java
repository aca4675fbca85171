package io.jemq.mgmt.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One trace's file: appended to, rolled over at a size ({@code <file>} → {@code <file>.1} → … {@code <file>.<n>},
 * the oldest dropped). Touched by the writer thread only.
 */
final class TraceFile {
    private final Path path;
    private final long maxSize;
    private final int keep;
    private BufferedWriter out;
    private long size;
    private boolean dirty;

    TraceFile(Path path, long maxSize, int keep) {
        this.path = path;
        this.maxSize = maxSize;
        this.keep = keep;
    }

    /** Creates (or appends to) the file: called by the control command, so a bad path is an error the user sees. */
    void open() throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        size = Files.size(path);
    }

    void write(String line) throws IOException {
        if (out == null) {
            return;
        }
        long bytes = line.length() + 1L;              // close enough for rolling; lines are mostly ASCII
        if (size > 0 && size + bytes > maxSize) {
            roll();
        }
        out.write(line);
        out.write('\n');
        size += bytes;
        dirty = true;
    }

    void flush() throws IOException {
        if (dirty && out != null) {
            out.flush();
            dirty = false;
        }
    }

    private void roll() throws IOException {
        out.close();
        if (keep == 0) {
            Files.deleteIfExists(path);
        } else {
            Files.deleteIfExists(rolled(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rolled(i))) {
                    Files.move(rolled(i), rolled(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rolled(1), StandardCopyOption.REPLACE_EXISTING);
        }
        out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        size = 0;
    }

    private Path rolled(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
