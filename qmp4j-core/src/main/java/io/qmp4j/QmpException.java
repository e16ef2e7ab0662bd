package io.qmp4j;

/**
 * The root of every exception qmp4j throws; unchecked, so it travels through
 * {@link java.util.concurrent.CompletableFuture} and lambdas.
 *
 * <p>The tree, one subclass per thing a caller handles differently:
 * <pre>
 * QmpException
 * ├── QmpCommandException            QEMU answered with an "error" (errorClass(), description(), command())
 * │   └── QmpCommandNotFoundException   error class CommandNotFound
 * ├── QmpTimeoutException            no reply (or greeting) within the deadline; wasSent() tells whether QEMU got it
 * ├── QmpConnectionClosedException   the connection is closed or was closed while the call waited
 * ├── QmpConnectException            the socket could not be opened (missing, refused, not a socket, TLS failed)
 * ├── QmpBackpressureException       too many commands pending (Backpressure.FAIL); nothing was sent
 * ├── QmpFdPassingException          file descriptors cannot be passed (not a UNIX socket, no JNA, fd not open)
 * ├── QmpProtocolException           the peer broke the protocol: bad greeting, malformed JSON, oversize line
 * ├── QmpStateException              a method was called in a state that does not allow it
 * ├── QmpValidationException         the command or its arguments do not match QEMU's schema; nothing was sent
 * └── QmpEventOverflowException      an event subscription with OverflowPolicy.FAIL overflowed
 * </pre>
 * Every message carries its context (the command, the timeout, the offending bytes shortened).
 */
public class QmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message. */
    public QmpException(String message) {
        super(message);
    }

    /** Creates an exception with a message and a cause. */
    public QmpException(String message, Throwable cause) {
        super(message, cause);
    }
}
