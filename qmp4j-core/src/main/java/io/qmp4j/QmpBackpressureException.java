package io.qmp4j;

/**
 * A command was refused because the connection already had its maximum of pending commands and
 * its {@link Backpressure} policy is {@link Backpressure#FAIL}. Nothing was sent; the connection
 * stays usable and the call may be retried later.
 */
public final class QmpBackpressureException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public QmpBackpressureException(String message) {
        super(message);
    }
}
