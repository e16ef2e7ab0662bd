package io.qmp4j;

import io.qmp4j.framing.QmpFraming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Configures and builds a {@link QmpConnection}. Obtain one with
 * {@link QmpConnection#builder(Path)}, {@link QmpConnection#builder(QmpAddress)} or
 * {@link QmpConnection#newBuilder()}; every default is set here and stated on its method. Builders are not thread-safe; the connections they build are
 * immutable in their configuration.
 */
public final class QmpConnectionBuilder {
    QmpAddress address;
    QmpTlsOptions tls;
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration commandTimeout = Duration.ofSeconds(5);
    Duration waitForSocket = Duration.ZERO;
    Duration reconnectFor;
    int maxMessageBytes = QmpFraming.DEFAULT_MAX_MESSAGE_BYTES;
    boolean enableOob = true;
    int eventBufferSize = 1024;
    int maxPendingCommands = 10_000;
    Backpressure backpressure = Backpressure.WAIT;
    Executor eventExecutor = ForkJoinPool.commonPool();
    boolean validateCommands;

    QmpConnectionBuilder(QmpAddress address) {
        this.address = Objects.requireNonNull(address, "address");
    }

    QmpConnectionBuilder(QmpConnection from) {
        this.address = from.address();
        this.tls = from.tls();
        this.connectTimeout = from.connectTimeout();
        this.commandTimeout = from.commandTimeout();
        this.waitForSocket = from.waitForSocket();
        this.reconnectFor = from.reconnectFor();
        this.maxMessageBytes = from.maxMessageBytes();
        this.enableOob = from.oobRequested();
        this.eventBufferSize = from.eventBufferSize();
        this.maxPendingCommands = from.maxPendingCommands();
        this.backpressure = from.backpressure();
        this.eventExecutor = from.eventExecutor();
        this.validateCommands = from.validatesCommands();
    }

    /** The monitor's UNIX socket, as given to QEMU's {@code -qmp unix:PATH,server=on}. */
    public QmpConnectionBuilder socketPath(Path socketPath) {
        this.address = QmpAddress.unix(socketPath);
        return this;
    }

    /** Where the monitor is: UNIX socket, TCP port or a child's stdio. */
    public QmpConnectionBuilder address(QmpAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Speaks TLS to the monitor (QEMU's {@code tls-creds-x509} with {@code endpoint=server}),
     * or plain text with {@code null}. Default: plain text. Not for stdio addresses.
     */
    public QmpConnectionBuilder tls(QmpTlsOptions tls) {
        this.tls = tls;
        return this;
    }

    /**
     * How long {@code connect()} keeps trying when the socket does not exist yet or nobody
     * listens on it yet (QEMU still starting): attempts are repeated with a backoff from 20 ms up
     * to 500 ms. Other failures are not retried. Default zero: one attempt.
     */
    public QmpConnectionBuilder waitForSocket(Duration wait) {
        Objects.requireNonNull(wait, "waitForSocket");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("waitForSocket must not be negative, got " + wait);
        }
        this.waitForSocket = wait;
        return this;
    }

    /**
     * Reconnects after the connection is lost (QEMU restarted on the same socket, a TCP link
     * dropped), trying for up to {@code giveUpAfter} with backoff; {@code null} turns it off.
     * While reconnecting, the state is {@link ConnectionState#RECONNECTING}, commands fail at once
     * and nothing is replayed (QEMU may have run what was in flight); event subscriptions stay
     * open. Listen with {@link QmpConnection#addStateListener}. Default: off.
     */
    public QmpConnectionBuilder reconnect(Duration giveUpAfter) {
        if (giveUpAfter != null) {
            positive(giveUpAfter, "reconnect");
        }
        this.reconnectFor = giveUpAfter;
        return this;
    }

    /**
     * How long {@code connect()} may take in all: opening the socket, waiting for the greeting
     * and negotiating capabilities. Default 5 s.
     */
    public QmpConnectionBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * How long a command may wait for its reply, from the moment it is submitted, unless the call
     * gives its own timeout. Default 5 s (Ganeti's {@code _SOCKET_TIMEOUT}).
     */
    public QmpConnectionBuilder commandTimeout(Duration timeout) {
        this.commandTimeout = positive(timeout, "commandTimeout");
        return this;
    }

    /**
     * The largest message accepted from QEMU, in bytes, line terminator excluded. A longer line
     * ends the connection with a {@link QmpProtocolException} instead of growing memory.
     * Default 64 MiB; QEMU 7.2's largest real message ({@code query-qmp-schema}) is 207 KB.
     */
    public QmpConnectionBuilder maxMessageBytes(int maxBytes) {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, got " + maxBytes);
        }
        this.maxMessageBytes = maxBytes;
        return this;
    }

    /**
     * Whether to enable the {@code oob} capability when QEMU offers it. Default true: with it
     * QEMU queues up to 8 in-band commands and parses while it executes, so concurrent callers
     * get 30–50 % more throughput; replies still come back in request order.
     */
    public QmpConnectionBuilder enableOob(boolean enable) {
        this.enableOob = enable;
        return this;
    }

    /**
     * The most commands a connection holds at once (sent and unanswered, or waiting to be sent),
     * and what a caller meets beyond that. Default 10,000 with {@link Backpressure#WAIT}: far more
     * than QEMU's own queue of 8 (the rest wait in qmp4j, about 100 bytes each), few enough that
     * a runaway producer cannot exhaust the heap.
     */
    public QmpConnectionBuilder maxPendingCommands(int max, Backpressure policy) {
        if (max < 1) {
            throw new IllegalArgumentException("maxPendingCommands must be at least 1, got " + max);
        }
        this.maxPendingCommands = max;
        this.backpressure = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * The buffer size, in events, of subscriptions made without an explicit capacity.
     * Default 1024.
     */
    public QmpConnectionBuilder eventBufferSize(int events) {
        if (events < 1 || events > (1 << 20)) {
            throw new IllegalArgumentException("eventBufferSize must be between 1 and 1048576, got " + events);
        }
        this.eventBufferSize = events;
        return this;
    }

    /**
     * Where event listeners ({@link QmpConnection#onEvent}) run; each listener still gets its
     * events one at a time, in order. Default {@link ForkJoinPool#commonPool()}.
     */
    public QmpConnectionBuilder eventExecutor(Executor executor) {
        this.eventExecutor = Objects.requireNonNull(executor, "eventExecutor");
        return this;
    }

    /**
     * Whether to check every command and its arguments against QEMU's schema before sending it,
     * throwing {@link QmpValidationException} (nothing sent) for an unknown command or argument, a
     * missing argument, a wrong JSON type, enum value or alternate branch. {@code connect()} then
     * also fetches the schema ({@link QmpConnection#schema()}), within the connect timeout, and
     * fails (back to {@code IDLE}) if QEMU cannot provide it. Default false.
     */
    public QmpConnectionBuilder validateCommands(boolean validate) {
        this.validateCommands = validate;
        return this;
    }

    /** A new, unconnected connection with this configuration; call {@code connect()} next. */
    public QmpConnection build() {
        if (tls != null && address instanceof QmpAddress.Stdio) {
            throw new IllegalArgumentException("TLS is not available over stdio");
        }
        return new QmpConnection(this);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
