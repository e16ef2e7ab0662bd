package io.qmp4j.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what qmp4j writes to its wire log (the {@code io.qmp4j.wire} logger: requests at
 * DEBUG, replies and events at TRACE, secrets redacted) while it is open, at every level, with
 * the name of the thread that logged each line. For tests that check what went over the wire,
 * or which thread handled it:
 *
 * <pre>{@code
 * try (WireLogCapture wire = WireLogCapture.start()) {
 *     vm.changeVncPassword("hunter2"); // the code under test
 *     assertThat(wire.messages()).noneMatch(m -> m.contains("hunter2"));
 * }
 * }</pre>
 *
 * <p>qmp4j logs through {@link System.Logger}, which goes to {@code java.util.logging} unless the
 * application installs another backend (an SLF4J bridge, for example); this class captures the
 * {@code java.util.logging} side only. Thread-safe; close it to restore the logger's level.
 */
public final class WireLogCapture implements AutoCloseable {
    /** One captured line and the thread that logged it. */
    public record Line(String thread, Level level, String message) {
    }

    private static final Logger WIRE = Logger.getLogger("io.qmp4j.wire");
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Level levelBefore;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new Line(Thread.currentThread().getName(), record.getLevel(), record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private WireLogCapture() {
        levelBefore = WIRE.getLevel();
        WIRE.setLevel(Level.ALL);
        WIRE.addHandler(handler);
    }

    /** Starts capturing every level of the wire log. */
    public static WireLogCapture start() {
        return new WireLogCapture();
    }

    /** The lines captured so far, in order. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The messages captured so far, in order. */
    public List<String> messages() {
        return lines.stream().map(Line::message).toList();
    }

    /** Stops capturing and restores the logger's level. */
    @Override
    public void close() {
        WIRE.removeHandler(handler);
        WIRE.setLevel(levelBefore);
    }
}
