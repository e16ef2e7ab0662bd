package io.qmp4j.qga;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmp4j.ConnectionState;
import io.qmp4j.QmpAddress;
import io.qmp4j.QmpCommandException;
import io.qmp4j.QmpConnectException;
import io.qmp4j.QmpConnectionClosedException;
import io.qmp4j.QmpException;
import io.qmp4j.QmpProtocolException;
import io.qmp4j.QmpStateException;
import io.qmp4j.QmpTimeoutException;
import io.qmp4j.internal.qga.GuestExec;
import io.qmp4j.internal.qga.GuestFiles;
import io.qmp4j.internal.qga.QgaCall;
import io.qmp4j.internal.qga.QgaSession;
import io.qmp4j.internal.qga.Waits;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.Transports;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpReturn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A connection to one QEMU guest agent ({@code qemu-ga} inside a VM), reached on the host through
 * the UNIX socket of its virtio-serial chardev.
 *
 * <pre>{@code
 * try (QgaConnection ga = QgaConnection.builder(Path.of("/run/vm1.qga")).build()) {
 *     ga.connect();                                   // opens the socket and resynchronises
 *     ga.ping();
 *     QgaExecResult r = ga.exec("/bin/uname", List.of("-a"), Map.of(), null);
 *     ga.copyToGuest(Path.of("app.tar"), "/tmp/app.tar", TransferProgress.NONE);
 * }
 * }</pre>
 *
 * <p><b>Protocol.</b> The agent speaks QMP's JSON without a greeting, answers one command at a
 * time, may be absent, restarted or stuck, and replies left over from an earlier client (or from
 * a call that timed out here) can still be in the channel. So {@code connect()} and the first
 * command after any doubt resynchronise: a 0xFF byte and {@code guest-sync-delimited} with a
 * random id, skipping everything up to the reply that the agent marks with a 0xFF byte. A call
 * that timed out costs the next one a resync, never a mismatched reply.
 *
 * <p><b>Threads.</b> Thread-safe; calls from several threads are queued and sent one at a time.
 * I/O runs on the event loops shared with {@link io.qmp4j.QmpConnection}; every wait is bounded by
 * a timeout, so a stuck agent blocks neither its callers past their timeouts nor other VMs.
 * Futures of {@code executeAsync} complete on those I/O threads.
 *
 * <p><b>Errors.</b> The {@link QmpException} tree of the QMP client: {@link QmpCommandException}
 * when the agent answers with an error (the connection stays usable), {@link QmpTimeoutException},
 * {@link QmpConnectionClosedException} when the channel closes (the agent process or QEMU died),
 * {@link QmpConnectException}, {@link QmpStateException}, and {@link QmpProtocolException} for a
 * line that is not a reply (this call fails; the connection resynchronises).
 */
public final class QgaConnection implements AutoCloseable {
    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);
    /** Commands that answer only when they fail ({@code success-response: false} in {@code guest-info}). */
    private static final Set<String> NO_REPLY = Set.of("guest-shutdown", "guest-suspend-disk", "guest-suspend-ram",
            "guest-suspend-hybrid");

    private final QmpAddress address;
    private final Duration connectTimeout;
    private final Duration syncTimeout;
    private final Duration commandTimeout;
    private final Duration execTimeout;
    private final int fileChunkBytes;
    private final int maxMessageBytes;

    private final Object lock = new Object();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile ConnectionState state = ConnectionState.IDLE;
    private QgaSession session;
    private Transports.Link link;
    private EventLoops.Lease lease;

    QgaConnection(QgaConnectionBuilder b) {
        this.address = b.address;
        this.connectTimeout = b.connectTimeout;
        this.syncTimeout = b.syncTimeout;
        this.commandTimeout = b.commandTimeout;
        this.execTimeout = b.execTimeout;
        this.fileChunkBytes = b.fileChunkBytes;
        this.maxMessageBytes = b.maxMessageBytes;
    }

    /** A builder for a connection to the agent channel's UNIX socket at {@code socketPath}. */
    public static QgaConnectionBuilder builder(Path socketPath) {
        return new QgaConnectionBuilder(QmpAddress.unix(socketPath));
    }

    /** A builder for a connection to the agent channel at {@code address} (UNIX socket or TCP). */
    public static QgaConnectionBuilder builder(QmpAddress address) {
        return new QgaConnectionBuilder(address);
    }

    /** A builder preset with this connection's configuration, to derive a variant. */
    public QgaConnectionBuilder newBuilder() {
        return new QgaConnectionBuilder(this);
    }

    /**
     * Opens the channel and resynchronises with the agent, trying a fresh
     * {@code guest-sync-delimited} every {@link QgaConnectionBuilder#syncTimeout sync timeout}
     * until the connect timeout has passed. On failure nothing is left open and the state returns
     * to {@code IDLE}.
     *
     * @throws QmpConnectException  when the socket cannot be opened
     * @throws QmpTimeoutException  when the agent did not answer within the connect timeout (not
     *                              running in the guest, or stuck)
     * @throws QmpStateException    when the connection is not {@code IDLE}
     */
    public void connect() {
        synchronized (lock) {
            requireState("connect()", ConnectionState.IDLE);
            state = ConnectionState.CONNECTING;
        }
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        QgaSession s;
        while (true) {
            s = new QgaSession();
            try {
                synchronized (lock) {
                    lease = EventLoops.acquire();
                    session = s;
                }
                Transports.Link opened = Transports.connect(lease, address, null, remaining(deadline), maxMessageBytes,
                        s);
                synchronized (lock) {
                    link = opened;
                    ensureConnecting();
                }
                resyncUntil(s, deadline);
                synchronized (lock) {
                    ensureConnecting();
                    state = ConnectionState.RUNNING;
                }
                break;
            } catch (RuntimeException e) {
                Held held;
                synchronized (lock) {
                    held = detach();
                }
                held.release(new QmpConnectionClosedException("connect attempt failed"));
                // qemu-ga in listen mode refuses connections for a moment after a client leaves,
                // while it sets up its listening socket again: try again within the connect timeout
                boolean retry = e instanceof QmpConnectException && Transports.isRefused(e)
                        && deadline - System.nanoTime() > RETRY_PAUSE.toNanos() && state == ConnectionState.CONNECTING;
                if (!retry) {
                    synchronized (lock) {
                        if (state == ConnectionState.CONNECTING) {
                            state = ConnectionState.IDLE;
                        }
                    }
                    throw e;
                }
                pause();
            }
        }
        QgaSession connected = s;
        connected.terminated().thenAccept(reason -> onSessionEnd(connected));
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while connecting to the guest agent", e);
        }
    }

    private void resyncUntil(QgaSession s, long deadline) {
        while (true) {
            Duration attempt = min(syncTimeout, remaining(deadline));
            QgaCall sync = QgaCall.sync(attempt);
            s.submit(sync);
            try {
                Waits.await(sync.future(), attempt);
                return;
            } catch (QmpTimeoutException e) {
                if (deadline - System.nanoTime() <= 0) {
                    throw new QmpTimeoutException("the guest agent at " + address + " did not answer"
                            + " guest-sync-delimited within " + connectTimeout.toMillis() + " ms (is qemu-ga running"
                            + " in the guest, and is the channel its virtio-serial port?)", connectTimeout);
                }
            }
            ensureConnecting();
        }
    }

    /**
     * Resynchronises now (0xFF and {@code guest-sync-delimited}), for example after the agent
     * was restarted in the guest. Commands do this by themselves whenever the reply order is in
     * doubt, so this is rarely needed.
     *
     * @throws QmpTimeoutException when the agent did not answer within the command timeout
     */
    public void resync() {
        QgaCall sync = QgaCall.sync(commandTimeout);
        requireRunning("guest-sync-delimited").submit(sync);
        Waits.await(sync.future(), commandTimeout);
    }

    /** Runs {@code command} without arguments and returns its {@code return} value. See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command) {
        return execute(command, (JsonNode) null, commandTimeout);
    }

    /** Runs {@code command} with {@code arguments} (string keys; values as Jackson writes them). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, Map<String, ?> arguments) {
        return Waits.await(submit(command, arguments, commandTimeout), commandTimeout).value();
    }

    /** Runs {@code command} with {@code arguments} (a JSON object or null). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, JsonNode arguments) {
        return execute(command, arguments, commandTimeout);
    }

    /**
     * Runs {@code command} and waits for its reply. Commands that answer only on failure
     * ({@code guest-shutdown}, {@code guest-suspend-*}) return {@code {}} once the agent has
     * confirmed that it took them.
     *
     * @param command   the agent command, for example {@code guest-ping}
     * @param arguments a JSON object, or {@code null} for none
     * @param timeout   how long to wait for the reply, a resynchronisation before it included
     * @return the reply's {@code return} value
     * @throws QmpCommandException          when the agent answers with an error; the connection stays usable
     * @throws QmpTimeoutException          when no reply came in time ({@link QmpTimeoutException#wasSent()}
     *                                      says whether the agent got it); the connection stays usable
     * @throws QmpConnectionClosedException when the channel is or becomes closed
     * @throws QmpProtocolException         when the agent's answer is not a reply; the connection stays usable
     * @throws QmpStateException            before {@code connect()}
     * @throws IllegalStateException        when called on a qmp4j I/O thread
     */
    public JsonNode execute(String command, JsonNode arguments, Duration timeout) {
        return Waits.await(submit(command, arguments, timeout), timeout).value();
    }

    /** Sends {@code command} without arguments; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command) {
        return executeAsync(command, (JsonNode) null, commandTimeout);
    }

    /** Sends {@code command} with {@code arguments}; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command, Map<String, ?> arguments) {
        return submit(command, arguments, commandTimeout).thenApply(QmpReturn::value);
    }

    /** Sends {@code command} with {@code arguments}; see {@link #executeAsync(String, JsonNode, Duration)}. */
    public CompletableFuture<JsonNode> executeAsync(String command, JsonNode arguments) {
        return executeAsync(command, arguments, commandTimeout);
    }

    /**
     * Queues {@code command} without waiting. The future completes exactly once, on an I/O thread,
     * with the {@code return} value or with the exceptions listed on
     * {@link #execute(String, JsonNode, Duration)}.
     */
    public CompletableFuture<JsonNode> executeAsync(String command, JsonNode arguments, Duration timeout) {
        return submit(command, arguments, timeout).thenApply(QmpReturn::value);
    }

    private CompletableFuture<QmpReturn> submit(String command, Object arguments, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        byte[] request = QmpJson.request(command, arguments, null, false);
        QgaCall call = new QgaCall(command, request, timeout,
                NO_REPLY.contains(command) ? QgaCall.Kind.NO_REPLY : QgaCall.Kind.COMMAND);
        requireRunning(command).submit(call);
        return call.future();
    }

    /** {@code guest-ping}: returns once the agent answered. */
    public void ping() {
        execute("guest-ping");
    }

    /** {@code guest-info}: the agent's version and commands. */
    public QgaInfo info() {
        return QgaInfo.of(execute("guest-info"));
    }

    /** {@code guest-get-osinfo}: the guest's operating system. */
    public QgaOsInfo getOsInfo() {
        return QgaOsInfo.of(execute("guest-get-osinfo"));
    }

    /** {@code guest-get-host-name}: the guest's host name. */
    public String getHostName() {
        return execute("guest-get-host-name").path("host-name").asText();
    }

    /** {@code guest-get-time}: the guest's clock (the agent reports nanoseconds since the epoch). */
    public Instant getTime() {
        long nanos = execute("guest-get-time").asLong();
        return Instant.ofEpochSecond(0, nanos);
    }

    /** {@code guest-network-get-interfaces}: the guest's interfaces and addresses. */
    public List<QgaNetworkInterface> networkInterfaces() {
        return QgaNetworkInterface.listOf(execute("guest-network-get-interfaces"));
    }

    /**
     * {@code guest-fsfreeze-freeze}: freezes the guest's filesystems (for a consistent snapshot);
     * call {@link #fsfreezeThaw()} soon after.
     *
     * @return the number of filesystems frozen
     * @throws QmpCommandException when the agent could not freeze (it thaws what it froze)
     */
    public int fsfreezeFreeze() {
        return execute("guest-fsfreeze-freeze").asInt();
    }

    /** {@code guest-fsfreeze-thaw}: thaws the filesystems; returns how many were thawed. */
    public int fsfreezeThaw() {
        return execute("guest-fsfreeze-thaw").asInt();
    }

    /** {@code guest-fsfreeze-status}: whether the guest's filesystems are frozen. */
    public FsfreezeStatus fsfreezeStatus() {
        String status = execute("guest-fsfreeze-status").asText();
        try {
            return FsfreezeStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new QmpProtocolException("guest-fsfreeze-status: unknown status '" + status + "'", e);
        }
    }

    /**
     * {@code guest-shutdown}: asks the guest to power down, halt or reboot. The agent answers
     * only failures; this returns once a {@code guest-sync-delimited} sent right behind it
     * confirmed that the agent took the command without error.
     *
     * @throws QmpCommandException when the agent refused (for example: blocked, or not permitted)
     * @throws QmpTimeoutException when the agent did not confirm in time; the guest may be going down
     */
    public void shutdown(ShutdownMode mode) {
        execute("guest-shutdown", Map.of("mode", Objects.requireNonNull(mode, "mode").wireName()));
    }

    /**
     * Runs {@code path} in the guest ({@code guest-exec} with output captured), polls
     * {@code guest-exec-status} until it exits, and returns its exit status and output. A non-zero
     * exit is a result, not an exception. Waits at most the builder's exec timeout.
     *
     * @param args  the arguments (not including the program), may be empty
     * @param env   extra environment variables, may be empty
     * @param input bytes for its stdin, or {@code null} for none
     * @throws QmpCommandException when the agent cannot start it (for example: no such file)
     * @throws QmpTimeoutException when it is still running after the exec timeout; it keeps running
     */
    public QgaExecResult exec(String path, List<String> args, Map<String, String> env, byte[] input) {
        return exec(path, args, env, input, execTimeout);
    }

    /** {@link #exec(String, List, Map, byte[])} waiting at most {@code timeout} for the program to end. */
    public QgaExecResult exec(String path, List<String> args, Map<String, String> env, byte[] input,
            Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return GuestExec.run(this::execute, path, args, env, input, timeout);
    }

    /**
     * Copies the local file {@code local} to {@code remote} in the guest, in chunks of the
     * builder's {@link QgaConnectionBuilder#fileChunkBytes file chunk size}; the guest file is
     * created or truncated. A failed transfer leaves a partial guest file.
     *
     * @return the number of bytes copied
     * @throws IOException         when the local file cannot be read
     * @throws QmpCommandException when the agent cannot open or write the guest file
     */
    public long copyToGuest(Path local, String remote, TransferProgress progress) throws IOException {
        return GuestFiles.copyToGuest(this::execute, local, remote, fileChunkBytes, progressOrNone(progress));
    }

    /**
     * Copies {@code remote} in the guest to the local file {@code local}. Data lands in a
     * temporary file beside {@code local} that replaces it only when complete, so a failed
     * transfer leaves {@code local} untouched.
     *
     * @return the number of bytes copied
     * @throws IOException         when the local file cannot be written
     * @throws QmpCommandException when the agent cannot open or read the guest file
     */
    public long copyFromGuest(String remote, Path local, TransferProgress progress) throws IOException {
        return GuestFiles.copyFromGuest(this::execute, remote, local, fileChunkBytes, progressOrNone(progress));
    }

    private static TransferProgress progressOrNone(TransferProgress p) {
        return p == null ? TransferProgress.NONE : p;
    }

    /** The current state: {@code IDLE}, {@code CONNECTING}, {@code RUNNING}, {@code CLOSING} or {@code CLOSED}. */
    public ConnectionState state() {
        return state;
    }

    /** Completes when the connection has closed, whoever closed it. */
    public CompletionStage<Void> closeFuture() {
        return closed.minimalCompletionStage();
    }

    /**
     * Closes the channel; pending calls fail with {@link QmpConnectionClosedException}. Idempotent;
     * leaves no thread or file descriptor behind. Call it from an application thread, not an I/O
     * thread.
     */
    @Override
    public void close() {
        Held held;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                return;
            }
            state = ConnectionState.CLOSING;
            held = detach();
        }
        held.release(new QmpConnectionClosedException("connection to the guest agent at " + address + " closed"));
        state = ConnectionState.CLOSED;
        closed.complete(null);
    }

    /** Event loop: the agent or QEMU closed the channel; release everything off the loop. */
    private void onSessionEnd(QgaSession ended) {
        Held held;
        synchronized (lock) {
            if (session != ended || state != ConnectionState.RUNNING) {
                return; // close() is handling it
            }
            state = ConnectionState.CLOSED;
            held = detach();
        }
        Thread worker = new Thread(() -> {
            held.release(null);
            closed.complete(null);
        }, "qmp4j-qga-release");
        worker.setDaemon(true);
        worker.start();
    }

    /** The resources held while open; released outside the lock, never on an event loop. */
    private record Held(QgaSession session, Transports.Link link, EventLoops.Lease lease) {
        void release(QmpException reason) {
            if (session != null && reason != null) {
                session.shutdown(reason);
            }
            if (link != null) {
                link.close();
            }
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Takes the session, link and lease out of the fields; the caller holds the lock. */
    private Held detach() {
        Held held = new Held(session, link, lease);
        session = null;
        link = null;
        lease = null;
        return held;
    }

    private QgaSession requireRunning(String command) {
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                throw new QmpConnectionClosedException(command + ": connection to the guest agent at " + address
                        + " is closed (nothing was sent)");
            }
            requireState(command, ConnectionState.RUNNING);
            return session;
        }
    }

    private void requireState(String action, ConnectionState required) {
        if (state != required) {
            throw new QmpStateException(action, state, required.name());
        }
    }

    private void ensureConnecting() {
        if (state != ConnectionState.CONNECTING) {
            throw new QmpConnectionClosedException("connection closed while connecting to the guest agent at " + address);
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Where the agent's channel is. */
    public QmpAddress address() {
        return address;
    }

    /** The total time allowed for {@code connect()}. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The time one resynchronisation attempt in {@code connect()} waits. */
    public Duration syncTimeout() {
        return syncTimeout;
    }

    /** The default time a command waits for its reply. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The default time {@link #exec} waits for the program to end. */
    public Duration execTimeout() {
        return execTimeout;
    }

    /** The bytes moved per file-transfer command. */
    public int fileChunkBytes() {
        return fileChunkBytes;
    }

    /** The largest message accepted from the agent, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public String toString() {
        return "QgaConnection[" + address + ", " + state + "]";
    }
}
