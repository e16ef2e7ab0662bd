package io.qmp4j.testkit.qemu;

import java.util.List;
import java.util.OptionalInt;

/**
 * Thrown when a {@link QemuProcess} could not be launched or did not become ready: QEMU exited
 * early (typically a bad option), the start timeout passed before its QMP socket sent a greeting,
 * or the process could not be spawned at all.
 *
 * <p>The message holds the reason, the full command line (shell-quoted, so it can be pasted into a
 * terminal to reproduce) and the last lines QEMU wrote to stdout/stderr. By the time this is thrown
 * the process has been killed and its temporary directory deleted.
 */
public final class QemuStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> commandLine;
    private final String logTail;
    private final Integer exitCode;

    /**
     * Creates the exception; {@link #getMessage()} combines all parts.
     *
     * @param reason what went wrong, for example "QEMU exited with code 1 before its QMP socket
     *     answered"
     * @param commandLine the command that was run
     * @param logTail the last lines of QEMU's output, possibly empty
     * @param exitCode QEMU's exit code if it had exited, else {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public QemuStartException(String reason, List<String> commandLine, String logTail,
            Integer exitCode, Throwable cause) {
        super(format(reason, commandLine, logTail), cause);
        this.commandLine = List.copyOf(commandLine);
        this.logTail = logTail;
        this.exitCode = exitCode;
    }

    /** The command line that was run, one argument per element. */
    public List<String> commandLine() {
        return commandLine;
    }

    /** The last lines QEMU wrote to stdout/stderr (at most 30), or "" if it wrote nothing. */
    public String logTail() {
        return logTail;
    }

    /** QEMU's exit code if it exited on its own before becoming ready, else empty. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    private static String format(String reason, List<String> commandLine, String logTail) {
        StringBuilder sb = new StringBuilder(reason)
                .append("\n  command line: ").append(FileSupport.shellJoin(commandLine))
                .append("\n  QEMU output (last lines):");
        if (logTail.isBlank()) {
            sb.append(" (none)");
        } else {
            logTail.lines().forEach(l -> sb.append("\n    ").append(l));
        }
        return sb.toString();
    }
}
