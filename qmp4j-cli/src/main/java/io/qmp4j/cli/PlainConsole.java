package io.qmp4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * A {@link ShellConsole} over plain streams: for scripts and pipes (no prompt), or, when told it
 * is interactive, a minimal line-based prompt that is drawn again after asynchronous output.
 * There is no line editing, completion, history or Ctrl-C handling: that is {@link JLineConsole}.
 */
final class PlainConsole implements ShellConsole {
    private final BufferedReader in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean interactive;
    private String prompt;

    PlainConsole(BufferedReader in, PrintWriter out, PrintWriter err, boolean interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public Input readLine(String prompt) {
        synchronized (this) {
            if (interactive) {
                out.print(prompt);
                out.flush();
                this.prompt = prompt;
            }
        }
        String line;
        try {
            line = in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shell's input", e);
        }
        synchronized (this) {
            if (line == null && this.prompt != null) {
                out.println();
                out.flush();
            }
            this.prompt = null;
        }
        return line == null ? Input.END : new Input(line, false);
    }

    @Override
    public synchronized void out(String text) {
        print(out, text);
    }

    @Override
    public synchronized void err(String text) {
        print(err, text);
    }

    /** Prints a line; while a prompt shows, moves below it first and shows it again after. */
    private void print(PrintWriter target, String text) {
        if (prompt != null) {
            out.println();
            out.flush();
        }
        target.println(text);
        target.flush();
        if (prompt != null) {
            out.print(prompt);
            out.flush();
        }
    }

    @Override
    public synchronized void note(String text) {
        print(err, text);
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    @Override
    public boolean colors() {
        return false;
    }

    @Override
    public Interrupts onInterrupt(Runnable action) {
        return () -> { };
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
    }
}
