package io.qmp4j;

/**
 * File descriptors could not be passed: the connection is not a UNIX socket (TCP, TLS and
 * stdio cannot carry descriptors), JNA is missing from the class path, the platform is not
 * 64-bit Linux, too many descriptors were given, or a descriptor is not open. Nothing was sent.
 */
public final class QmpFdPassingException extends QmpException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message} and an optional {@code cause}. */
    public QmpFdPassingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with {@code message}. */
    public QmpFdPassingException(String message) {
        super(message);
    }
}
