package io.qmp4j;

import java.util.Objects;

/**
 * A method was called in a connection state that does not allow it, for example
 * {@code execute} before {@code connect()}, or {@code connect()} twice. This is a bug in the
 * calling code, not a QEMU failure.
 */
public final class QmpStateException extends QmpException {
    private static final long serialVersionUID = 1L;

    private final ConnectionState actual;

    /** Creates the exception for {@code action} attempted in {@code actual} where {@code required} is needed. */
    public QmpStateException(String action, ConnectionState actual, String required) {
        super(action + " needs the connection to be " + required + ", but it is " + actual);
        this.actual = Objects.requireNonNull(actual, "actual");
    }

    /** The state the connection was in. */
    public ConnectionState actual() {
        return actual;
    }
}
