package io.qmp4j;

/**
 * What happens to a caller when a connection already has its
 * {@link QmpConnectionBuilder#maxPendingCommands(int, Backpressure) maximum of pending commands}
 * (sent and not answered, or waiting to be sent).
 */
public enum Backpressure {
    /**
     * The caller waits for a free slot, up to its command timeout, and then gets a
     * {@link QmpTimeoutException} with {@code wasSent() == false}. {@code executeAsync} waits
     * too, like a bounded queue's {@code put}. On a qmp4j I/O thread, where waiting is not
     * possible, it fails as {@link #FAIL} does.
     */
    WAIT,
    /** The call fails at once with {@link QmpBackpressureException}; nothing is sent. */
    FAIL
}
