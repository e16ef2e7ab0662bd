package io.qmp4j;

/**
 * The life cycle of a {@link QmpConnection}: {@code IDLE → CONNECTING → RUNNING → CLOSING → CLOSED}.
 * A failed {@code connect()} returns to {@code IDLE}; {@code CLOSED} is final.
 */
public enum ConnectionState {
    /** Built, not connected; {@code connect()} may be called (again after a failed attempt). */
    IDLE,
    /** {@code connect()} is opening the socket, reading the greeting and negotiating capabilities. */
    CONNECTING,
    /** Negotiated: commands may be executed and events arrive. */
    RUNNING,
    /** {@code close()} is failing pending calls and releasing the socket. */
    CLOSING,
    /** Closed by {@code close()}, by QEMU, or after a protocol error; nothing more can be done. */
    CLOSED
}
