package io.qmp4j.cli;

/**
 * The exit codes of the {@code qmp4j} command, one per kind of outcome a script handles
 * differently.
 */
public enum ExitCode {
    /** Success: every command ran and QEMU answered with {@code return}. */
    OK(0),
    /** An unexpected failure inside qmp4j itself (a bug); the stack trace is printed. */
    INTERNAL(1),
    /** Bad usage: an unknown option, a missing command, arguments that are not a JSON object. */
    USAGE(2),
    /** QEMU answered a command with an {@code error} ({@code CLASS: desc} is printed). */
    QMP_ERROR(3),
    /** No usable QMP session: cannot connect, protocol error, timeout, connection lost. */
    CONNECTION(4),
    /** {@code wait} or {@code events --count}: the awaited events did not arrive in time. */
    TIMEOUT_WAITING(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The numeric process exit status. */
    public int code() {
        return code;
    }
}
