package io.qmp4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.terminal.Terminal.SignalHandler;

/**
 * A {@link ShellConsole} on a JLine terminal: line editing, Tab completion, history saved to a
 * file (Ctrl-R searches it), Ctrl-C to cancel the line or the command being waited for, Ctrl-D
 * on an empty line to leave. Output from other threads is printed above the line being typed
 * ({@link LineReader#printAbove(String)}), which JLine then draws again intact.
 */
final class JLineConsole implements ShellConsole {
    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    private final Terminal terminal;
    private final LineReader reader;
    private final boolean colors;
    private volatile Completer completer;
    private boolean closed;

    /**
     * Creates the console; it owns {@code terminal} and closes it in {@link #close()}.
     *
     * @param historyFile where history is loaded from and appended to; null for none
     * @param colors      whether to colour output (only when the terminal is not dumb)
     */
    JLineConsole(Terminal terminal, Path historyFile, boolean colors) {
        this.terminal = terminal;
        this.colors = colors && !Terminal.TYPE_DUMB.equals(terminal.getType());
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("qmp4j")
                .completer((r, line, candidates) -> {
                    Completer c = completer;
                    if (c != null) {
                        c.complete(r, line, candidates);
                    }
                })
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.HISTORY_FILE_SIZE, 10000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is ordinary text in QMP
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .option(LineReader.Option.AUTO_PARAM_SLASH, false)
                .option(LineReader.Option.INSERT_TAB, false);
        if (historyFile != null) {
            prepareHistoryFile(historyFile);
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = builder.build();
    }

    /** Creates the history file's directory, and the file readable by its owner only (it may hold secrets). */
    private static void prepareHistoryFile(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (Files.notExists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep the default permissions
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the shell history file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets what Tab completes from now on (nothing until called). */
    void completer(Completer completer) {
        this.completer = completer;
    }

    @Override
    public Input readLine(String prompt) {
        try {
            return new Input(reader.readLine(prompt), false);
        } catch (UserInterruptException e) {
            return Input.CANCELLED;
        } catch (EndOfFileException e) {
            return Input.END;
        }
    }

    @Override
    public void out(String text) {
        reader.printAbove(text);
    }

    @Override
    public void err(String text) {
        reader.printAbove(colors ? RED + text + RESET : text);
    }

    @Override
    public void note(String text) {
        reader.printAbove(text);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public boolean colors() {
        return colors;
    }

    @Override
    public Interrupts onInterrupt(Runnable action) {
        SignalHandler previous = terminal.handle(Signal.INT, signal -> action.run());
        return () -> terminal.handle(Signal.INT, previous);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            terminal.writer().println(Errors.PREFIX + "cannot save the shell history: " + e.getMessage());
        }
        try {
            terminal.close();
        } catch (IOException e) {
            // the terminal is going away anyway
        }
    }
}
