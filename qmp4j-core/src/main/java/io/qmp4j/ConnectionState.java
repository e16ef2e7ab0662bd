package io.qmp4j;

/**
 * The life cycle of a {@link QmpConnection}:
 * {@code IDLE → CONNECTING → RUNNING (⇄ RECONNECTING) → CLOSING → CLOSED}.
 * A failed {@code connect()} returns to {@code IDLE}; {@code CLOSED} is final.
 */
public enum ConnectionState {
    /** Built, not connected; {@code connect()} may be called (again after a failed attempt). */
    IDLE,
    /** {@code connect()} is opening the socket, reading the greeting and negotiating capabilities. */
    CONNECTING,
    /** Negotiated: commands may be executed and events arrive. */
    RUNNING,
    /**
     * The connection was lost and {@link QmpConnectionBuilder#reconnect(java.time.Duration)} is
     * on: qmp4j is connecting again in the background. Commands fail at once with
     * {@link QmpConnectionClosedException}; subscriptions and event waits stay open.
     */
    RECONNECTING,
    /** {@code close()} is failing pending calls and releasing the socket. */
    CLOSING,
    /** Closed by {@code close()}, by QEMU, or after a protocol error; nothing more can be done. */
    CLOSED
}
