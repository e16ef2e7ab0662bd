package io.qmp4j;

/**
 * An event subscription whose {@link io.qmp4j.event.OverflowPolicy} is {@code FAIL} received
 * more events than its buffer holds, so it was ended rather than losing any silently.
 */
public final class QmpEventOverflowException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the subscription and its capacity. */
    public QmpEventOverflowException(String message) {
        super(message);
    }
}
