package io.qmp4j;

import java.time.Duration;

/**
 * No reply arrived within the deadline.
 *
 * <p>When {@link #wasSent()} is true QEMU received the command and may still execute it:
 * its late reply is consumed and discarded by the connection, never handed to another caller,
 * so the connection stays usable. When false the command was never written and had no effect.
 */
public final class QmpTimeoutException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;
    private final boolean sent;

    /** Creates the exception for {@code what} (a command or "greeting") that got no answer within {@code timeout}. */
    public QmpTimeoutException(String what, Duration timeout, boolean sent) {
        super(what + ": no reply within " + timeout.toMillis() + " ms"
                + (sent ? " (sent: QEMU may still execute it; its late reply will be discarded)"
                        : " (not sent: it had no effect)"));
        this.timeout = timeout;
        this.sent = sent;
    }

    /** Creates an exception with a free-form message, for waits that send nothing (events, greeting). */
    public QmpTimeoutException(String message, Duration timeout) {
        super(message);
        this.timeout = timeout;
        this.sent = false;
    }

    /** The deadline that passed. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether the command had been written to QEMU when the deadline passed. */
    public boolean wasSent() {
        return sent;
    }
}
