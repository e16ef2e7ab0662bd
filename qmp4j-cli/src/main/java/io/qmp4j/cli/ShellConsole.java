package io.qmp4j.cli;

/**
 * Where the shell reads its lines and prints its output: a JLine terminal ({@link JLineConsole})
 * for people, plain streams ({@link PlainConsole}) for scripts and pipes.
 *
 * <p>{@link #out(String)} and {@link #err(String)} may be called from any thread at any time,
 * also while {@link #readLine(String)} waits: the text appears above the line being typed,
 * which is then drawn again, so it is never garbled.
 */
interface ShellConsole extends AutoCloseable {

    /**
     * What one read gave: a line, the end of input (Ctrl-D, end of file), or a cancelled line
     * (Ctrl-C).
     *
     * @param line      the line without its terminator; null when {@code endOfInput} or {@code cancelled}
     * @param cancelled whether the person pressed Ctrl-C while typing
     */
    record Input(String line, boolean cancelled) {
        static final Input END = new Input(null, false);
        static final Input CANCELLED = new Input(null, true);

        /** Whether the input has ended. */
        boolean endOfInput() {
            return line == null && !cancelled;
        }
    }

    /** Caller thread: shows {@code prompt} (when interactive) and reads one line. */
    Input readLine(String prompt);

    /** Any thread: prints {@code text} (one or more lines, no trailing newline needed) on stdout. */
    void out(String text);

    /** Any thread: prints an error on stderr (on a terminal, in red when colours are on). */
    void err(String text);

    /** Any thread: prints a message that is not a result (greeting, status) on stderr, uncoloured. */
    void note(String text);

    /** Whether a person is typing: prompts are shown and errors do not end the session. */
    boolean interactive();

    /** Whether output may use ANSI colours. */
    boolean colors();

    /**
     * Caller thread: runs {@code action} when the person presses Ctrl-C, until the returned
     * handle is closed; for cancelling a command the shell is waiting for.
     */
    Interrupts onInterrupt(Runnable action);

    /** A registration made by {@link #onInterrupt(Runnable)}. */
    interface Interrupts extends AutoCloseable {
        /** Ends the registration. */
        @Override
        void close();
    }

    /** Saves history and releases the terminal; idempotent. */
    @Override
    void close();
}
