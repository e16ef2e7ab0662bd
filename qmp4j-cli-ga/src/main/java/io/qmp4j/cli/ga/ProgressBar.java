package io.qmp4j.cli.ga;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** A one-line progress bar redrawn with {@code \r}, at most every 100 ms; caller thread. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000;

    private final PrintStream err;
    private long lastDraw = Long.MIN_VALUE;

    ProgressBar(PrintStream err) {
        this.err = err;
    }

    /** Matches {@link io.qmp4j.qga.TransferProgress#update}. */
    void update(long done, long total) {
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done != total) {
            return;
        }
        lastDraw = now;
        err.print("\r" + line(done, total));
        err.flush();
    }

    void finish(long bytes, Duration took) {
        double seconds = Math.max(took.toNanos() / 1e9, 1e-9);
        err.print("\r" + line(bytes, bytes) + String.format(Locale.ROOT, "  %.1f s, %s/s%n", seconds,
                mib((long) (bytes / seconds))));
        err.flush();
    }

    static String line(long done, long total) {
        if (total <= 0) {
            return mib(done);
        }
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%  ", (int) (100 * Math.min(done, total) / total))
                + mib(done) + " / " + mib(total);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
