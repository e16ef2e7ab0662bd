package io.qmp4j;

import java.time.Instant;
import java.util.Optional;

/**
 * A change in a connection's life, delivered to listeners added with
 * {@link QmpConnection#addStateListener}: in order, one at a time, on the event executor.
 *
 * @param kind    what happened
 * @param address the monitor's address
 * @param cause   why the connection was lost or closed; {@code null} for connects and for {@code close()}
 * @param time    when qmp4j saw it
 */
public record ConnectionEvent(Kind kind, QmpAddress address, QmpException cause, Instant time) {

    /** What happened to the connection. */
    public enum Kind {
        /** {@code connect()} succeeded: greeting read, capabilities negotiated. */
        CONNECTED,
        /**
         * The connection was lost (QEMU closed it, exited, or broke the protocol) and qmp4j is
         * reconnecting. Calls in flight failed with {@link QmpConnectionClosedException}; none is
         * replayed, because QEMU may have run them.
         */
        LOST,
        /** A new connection to the same address is up after {@link #LOST}; QEMU may be a new process. */
        RECONNECTED,
        /** The connection is closed for good (by {@code close()}, by QEMU, or reconnecting gave up). */
        CLOSED
    }

    /** The cause, when there is one. */
    public Optional<QmpException> causeIfAny() {
        return Optional.ofNullable(cause);
    }
}
