package io.qmp4j;

/**
 * The monitor socket could not be opened: it does not exist, nobody listens on it, it is not a
 * socket, permission was denied, or another client holds QEMU's single-client monitor and the
 * connect timed out. Nothing was sent.
 */
public final class QmpConnectException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message and the I/O cause. */
    public QmpConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
