package io.qmp4j.cli;

import io.qmp4j.QmpValidationException;

import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpTimeoutException;
import java.io.PrintWriter;

/**
 * Turns qmp4j's exceptions into one line for the user and an {@link ExitCode}: a QMP error is
 * printed as {@code CLASS: desc} (exit 3); anything that leaves no usable session (cannot
 * connect, protocol error, timeout, connection lost) as {@code qmp4j: ...} (exit 4).
 */
final class Errors {
    /** The prefix of every message qmp4j itself prints to stderr. */
    static final String PREFIX = "qmp4j: ";

    private Errors() {
    }

    /** Prints {@code e} for a failure while executing a command, and says how to exit. */
    static ExitCode report(QmpException e, PrintWriter err) {
        if (e instanceof QmpValidationException) { // like a QMP error, but nothing was sent
            err.println(PREFIX + e.getMessage());
            err.flush();
            return ExitCode.QMP_ERROR;
        }
        if (e instanceof QmpCommandException c) {
            err.println(c.errorClass() + ": " + c.description());
            err.flush();
            return ExitCode.QMP_ERROR;
        }
        err.println(PREFIX + describe(e));
        err.flush();
        return ExitCode.CONNECTION;
    }

    /** Prints {@code e} for a failure while connecting; every such failure is exit 4. */
    static ExitCode reportConnect(QmpException e, PrintWriter err) {
        String text = e instanceof QmpCommandException c
                ? "QEMU refused capabilities negotiation: " + c.errorClass() + ": " + c.description()
                : describe(e);
        err.println(PREFIX + text);
        err.flush();
        return ExitCode.CONNECTION;
    }

    /** One line describing a failure that is not a QMP error reply. */
    static String describe(QmpException e) {
        if (e instanceof QmpConnectException) {
            return e.getMessage();
        }
        if (e instanceof QmpTimeoutException) {
            return "timeout: " + e.getMessage();
        }
        if (e instanceof QmpProtocolException) {
            return "protocol error: " + e.getMessage();
        }
        if (e instanceof QmpConnectionClosedException) {
            Throwable cause = e.getCause();
            return cause == null || cause.getMessage() == null
                    ? "connection closed: " + e.getMessage()
                    : "connection closed: " + e.getMessage() + " (" + cause.getMessage() + ")";
        }
        return e.getMessage();
    }
}
