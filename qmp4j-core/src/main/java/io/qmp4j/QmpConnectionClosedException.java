package io.qmp4j;

/**
 * The connection is closed: {@link QmpConnection#close()} was called, QEMU closed the socket
 * (for example after {@code quit}, or because it died), or a protocol error ended the session.
 *
 * <p>A command that fails with this exception while it was in flight may or may not have been
 * executed by QEMU. The cause, when present, says why the connection ended.
 */
public final class QmpConnectionClosedException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message. */
    public QmpConnectionClosedException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the reason the connection ended. */
    public QmpConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
