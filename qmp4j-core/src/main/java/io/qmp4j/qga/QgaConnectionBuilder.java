package io.qmp4j.qga;

import io.qmp4j.QmpAddress;
import io.qmp4j.framing.QmpFraming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures and builds a {@link QgaConnection}. Obtain one with
 * {@link QgaConnection#builder(Path)}, {@link QgaConnection#builder(QmpAddress)} or
 * {@link QgaConnection#newBuilder()}; every default is set here and stated on its method.
 * Builders are not thread-safe; the connections they build are immutable in their configuration.
 */
public final class QgaConnectionBuilder {
    /** The largest base64 overhead a chunk may need in a message: 4/3 plus the JSON around it. */
    private static final int MESSAGE_OVERHEAD = 1024;

    QmpAddress address;
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration syncTimeout = Duration.ofSeconds(1);
    Duration commandTimeout = Duration.ofSeconds(5);
    Duration execTimeout = Duration.ofSeconds(60);
    int fileChunkBytes = 1024 * 1024;
    int maxMessageBytes = QmpFraming.DEFAULT_MAX_MESSAGE_BYTES;

    QgaConnectionBuilder(QmpAddress address) {
        this.address = Objects.requireNonNull(address, "address");
    }

    QgaConnectionBuilder(QgaConnection from) {
        this.address = from.address();
        this.connectTimeout = from.connectTimeout();
        this.syncTimeout = from.syncTimeout();
        this.commandTimeout = from.commandTimeout();
        this.execTimeout = from.execTimeout();
        this.fileChunkBytes = from.fileChunkBytes();
        this.maxMessageBytes = from.maxMessageBytes();
    }

    /**
     * Where the agent's channel is: on the host, the UNIX socket of QEMU's virtio-serial chardev
     * ({@code -chardev socket,path=PATH,server=on,wait=off,id=qga0 -device virtio-serial
     * -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0}), or TCP.
     */
    public QgaConnectionBuilder address(QmpAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * The time {@code connect()} may take in all: opening the socket and resynchronising,
     * retries included. Default 5 s.
     */
    public QgaConnectionBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * How long one resynchronisation attempt in {@code connect()} waits for the agent's
     * {@code guest-sync-delimited} reply before it sends a new one (an agent that was not
     * running yet, or that lost the first 0xFF, answers a later attempt). Default 1 s.
     */
    public QgaConnectionBuilder syncTimeout(Duration timeout) {
        this.syncTimeout = positive(timeout, "syncTimeout");
        return this;
    }

    /**
     * The default time a command waits for its reply, including the resynchronisation that may
     * precede it. Default 5 s. Each {@code execute} overload with a {@link Duration} overrides it.
     */
    public QgaConnectionBuilder commandTimeout(Duration timeout) {
        this.commandTimeout = positive(timeout, "commandTimeout");
        return this;
    }

    /**
     * The default time {@link QgaConnection#exec} waits for the program to end (polling
     * {@code guest-exec-status}). Default 60 s.
     */
    public QgaConnectionBuilder execTimeout(Duration timeout) {
        this.execTimeout = positive(timeout, "execTimeout");
        return this;
    }

    /**
     * The bytes moved per {@code guest-file-read} / {@code guest-file-write} by the copy methods.
     * Larger chunks mean fewer round trips and larger messages (base64 adds a third). Default
     * 1 MiB; at most what fits a message of {@link #maxMessageBytes(int)}.
     */
    public QgaConnectionBuilder fileChunkBytes(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("fileChunkBytes must be positive, got " + bytes);
        }
        this.fileChunkBytes = bytes;
        return this;
    }

    /** The largest message accepted from the agent, in bytes. Default 64 MiB. */
    public QgaConnectionBuilder maxMessageBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + bytes);
        }
        this.maxMessageBytes = bytes;
        return this;
    }

    /**
     * Builds the connection (not connected yet: call {@code connect()}).
     *
     * @throws IllegalArgumentException when a file chunk would not fit a message
     */
    public QgaConnection build() {
        long needed = (fileChunkBytes + 2L) / 3 * 4 + MESSAGE_OVERHEAD;
        if (needed > maxMessageBytes) {
            throw new IllegalArgumentException("fileChunkBytes " + fileChunkBytes + " needs messages of " + needed
                    + " bytes in base64, more than maxMessageBytes " + maxMessageBytes);
        }
        return new QgaConnection(this);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
