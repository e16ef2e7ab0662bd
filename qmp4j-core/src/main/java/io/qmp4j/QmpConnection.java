package io.qmp4j;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.qmp4j.event.EventFilter;
import io.qmp4j.event.EventSubscription;
import io.qmp4j.event.OverflowPolicy;
import io.qmp4j.internal.client.PendingCall;
import io.qmp4j.internal.client.Session;
import io.qmp4j.internal.event.EventHub;
import io.qmp4j.internal.schema.SchemaCache;
import io.qmp4j.internal.transport.EventLoops;
import io.qmp4j.internal.transport.UnixSocketTransport;
import io.qmp4j.message.QmpEvent;
import io.qmp4j.message.QmpGreeting;
import io.qmp4j.message.QmpJson;
import io.qmp4j.message.QmpReturn;
import io.qmp4j.schema.QmpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A connection to one QEMU monitor speaking QMP: Ganeti's {@code QmpConnection} for Java.
 *
 * <pre>{@code
 * try (QmpConnection qmp = QmpConnection.builder(Path.of("/run/vm1.qmp"))
 *         .commandTimeout(Duration.ofSeconds(5)).build()) {
 *     qmp.connect();
 *     JsonNode status = qmp.execute("query-status");
 *     JsonNode text = qmp.execute("human-monitor-command", Map.of("command-line", "info status"));
 *     CompletableFuture<JsonNode> later = qmp.executeAsync("query-status");
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A connection is thread-safe: any number of threads may have commands in
 * flight. Replies are matched to callers by request order, which QEMU keeps for in-band
 * commands. I/O runs on a few event-loop threads shared by all connections in the JVM; futures
 * returned by {@code executeAsync} complete on those threads, so dependent stages that block
 * should use the {@code *Async} variants of {@link CompletableFuture}. Event listeners run on the
 * builder's {@link QmpConnectionBuilder#eventExecutor(Executor) event executor}.
 *
 * <p><b>Life cycle.</b> See {@link ConnectionState}. {@link #close()} is idempotent, fails every
 * pending call with {@link QmpConnectionClosedException} and leaves no thread or file
 * descriptor behind; QEMU closing the socket (for example after {@code quit}) does the same.
 */
public final class QmpConnection implements AutoCloseable {
    private final Path socketPath;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int maxMessageBytes;
    private final boolean enableOob;
    private final int eventBufferSize;
    private final Executor eventExecutor;
    private final boolean validateCommands;
    private final SchemaCache schema = new SchemaCache();

    private final Object lock = new Object();
    private final EventHub events = new EventHub();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ThreadLocal<long[]> eventMark = ThreadLocal.withInitial(() -> new long[] {-1});
    private volatile ConnectionState state = ConnectionState.IDLE;
    private volatile QmpGreeting greeting;
    private volatile Set<String> capabilities = Set.of();
    private Session session;
    private Channel channel;
    private EventLoops.Lease lease;

    QmpConnection(QmpConnectionBuilder b) {
        this.socketPath = b.socketPath;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.maxMessageBytes = b.maxMessageBytes;
        this.enableOob = b.enableOob;
        this.eventBufferSize = b.eventBufferSize;
        this.eventExecutor = b.eventExecutor;
        this.validateCommands = b.validateCommands;
    }

    /** A builder for a connection to the monitor socket at {@code socketPath}. */
    public static QmpConnectionBuilder builder(Path socketPath) {
        return new QmpConnectionBuilder(socketPath);
    }

    /** A builder preset with this connection's configuration, to derive a variant. */
    public QmpConnectionBuilder newBuilder() {
        return new QmpConnectionBuilder(this);
    }

    /**
     * Opens the socket, reads and checks the greeting, and negotiates capabilities
     * ({@code qmp_capabilities}, enabling {@code oob} when offered and wanted), all within the
     * connect timeout. On failure nothing is left open and the state returns to {@code IDLE}.
     *
     * @throws QmpConnectException  when the socket cannot be opened
     * @throws QmpTimeoutException  when the greeting or the negotiation reply does not arrive in time
     * @throws QmpProtocolException when the greeting is not a QMP greeting
     * @throws QmpCommandException  when QEMU refuses the negotiation
     * @throws QmpStateException    when the connection is not {@code IDLE}
     */
    public void connect() {
        synchronized (lock) {
            requireState("connect()", ConnectionState.IDLE);
            state = ConnectionState.CONNECTING;
        }
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        try {
            handshake(deadline);
        } catch (RuntimeException e) {
            abandonConnect();
            throw e;
        }
        synchronized (lock) {
            if (state != ConnectionState.CONNECTING) { // close() ran meanwhile
                throw new QmpConnectionClosedException("connection closed while connecting to " + socketPath);
            }
            state = ConnectionState.RUNNING;
        }
        session.terminated().thenAccept(this::onSessionEnd);
    }

    private void handshake(long deadline) {
        UnixSocketTransport.checkSocket(socketPath);
        Session s = new Session(events);
        synchronized (lock) {
            lease = EventLoops.acquire();
            session = s;
        }
        Channel ch = UnixSocketTransport.connect(lease, socketPath, remaining(deadline), maxMessageBytes, s);
        synchronized (lock) {
            channel = ch;
            if (state != ConnectionState.CONNECTING) {
                throw new QmpConnectionClosedException("connection closed while connecting to " + socketPath);
            }
        }
        QmpGreeting g = Futures.await(s.greeting(), remaining(deadline), () -> new QmpTimeoutException(
                "no QMP greeting from " + socketPath + " within " + connectTimeout.toMillis()
                        + " ms (is it a QMP monitor, and is another client holding it?)", connectTimeout));
        boolean oob = enableOob && g.offers("oob");
        Map<String, Object> args = oob ? Map.of("enable", java.util.List.of("oob")) : null;
        PendingCall negotiate = new PendingCall("qmp_capabilities",
                QmpJson.request("qmp_capabilities", args, null, false), remaining(deadline));
        s.submit(negotiate);
        Futures.await(negotiate.future(), remaining(deadline).plusMillis(100), null);
        if (validateCommands) { // now, so that no later call waits for it (perhaps on an I/O thread)
            PendingCall fetch = new PendingCall("query-qmp-schema",
                    QmpJson.request("query-qmp-schema", null, null, false), remaining(deadline));
            s.submit(fetch);
            schema.get(() -> Futures.await(fetch.future(), remaining(deadline).plusMillis(100), null).value());
        }
        greeting = g;
        capabilities = oob ? Set.of("oob") : Set.of();
        s.setWindow(oob ? Session.WINDOW_WITH_OOB : Session.WINDOW_WITHOUT_OOB);
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private void abandonConnect() {
        Held held;
        synchronized (lock) {
            held = detach(true);
            if (state == ConnectionState.CONNECTING) {
                state = ConnectionState.IDLE;
            }
        }
        held.release(new QmpConnectionClosedException("connect() failed"));
    }

    /** The resources a connection holds while open; released outside the lock. */
    private record Held(Session session, Channel channel, EventLoops.Lease lease) {
        /** Caller thread, never an event loop: ends the session, closes the socket, returns the lease. */
        void release(QmpException reason) {
            if (session != null) {
                session.shutdown(reason);
            }
            if (channel != null) {
                channel.close().awaitUninterruptibly(2000);
            }
            if (lease != null) {
                lease.close();
            }
        }
    }

    /** Takes the channel, the lease and, if asked, the session out of the fields; the caller holds the lock. */
    private Held detach(boolean withSession) {
        Held held = new Held(withSession ? session : null, channel, lease);
        if (withSession) {
            session = null;
        }
        channel = null;
        lease = null;
        return held;
    }

    private void onSessionEnd(QmpException reason) {
        synchronized (lock) {
            if (state == ConnectionState.RUNNING) {
                state = ConnectionState.CLOSED;
            }
        }
        closed.complete(null);
        // Releasing waits for the channel and, for the last connection, for the I/O threads to end:
        // never on the loop itself, and not on the user's executor, which may run tasks inline.
        Thread releaser = new Thread(this::releaseResources, "qmp4j-release");
        releaser.setDaemon(true);
        releaser.start();
    }

    private void releaseResources() {
        Held held;
        synchronized (lock) {
            held = detach(false);
        }
        held.release(null);
    }

    /**
     * Closes the connection: pending calls fail with {@link QmpConnectionClosedException},
     * subscriptions end, the socket is closed and, if this was the JVM's last connection, the
     * I/O threads stop. Idempotent; safe from any thread except an event loop.
     */
    @Override
    public void close() {
        Session s;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                return;
            }
            state = ConnectionState.CLOSING;
            s = session;
        }
        QmpConnectionClosedException reason = new QmpConnectionClosedException("connection closed by close()");
        if (s != null) {
            s.shutdown(reason);
        }
        events.close(reason);
        releaseResources();
        synchronized (lock) {
            state = ConnectionState.CLOSED;
        }
        closed.complete(null);
    }

    /** The current state; see {@link ConnectionState}. */
    public ConnectionState state() {
        return state;
    }

    /**
     * Completes when the connection has closed, whoever closed it. When QEMU closed it, the stage
     * completes on an I/O thread: attach blocking work with the {@code *Async} methods.
     */
    public CompletionStage<Void> closeFuture() {
        return closed.minimalCompletionStage();
    }

    /**
     * QEMU's greeting: its version and offered capabilities.
     *
     * @throws QmpStateException before a successful {@code connect()}
     */
    public QmpGreeting greeting() {
        QmpGreeting g = greeting;
        if (g == null) {
            throw new QmpStateException("greeting()", state, "connected");
        }
        return g;
    }

    /** The capabilities negotiated with QEMU ({@code oob} or none). */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** Runs {@code command} without arguments and returns its {@code return} value. See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command) {
        return execute(command, (JsonNode) null, commandTimeout);
    }

    /** Runs {@code command} with {@code arguments} (string keys; values as Jackson writes them). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, Map<String, ?> arguments) {
        return awaitValue(submit(command, arguments, commandTimeout), commandTimeout);
    }

    /** Runs {@code command} with {@code arguments} (a JSON object or null). See {@link #execute(String, JsonNode, Duration)}. */
    public JsonNode execute(String command, JsonNode arguments) {
        return execute(command, arguments, commandTimeout);
    }

    /**
     * Runs {@code command} and waits for its reply: Ganeti's {@code Execute(command, arguments)}.
     *
     * @param command   the QMP command name, for example {@code query-status}
     * @param arguments a JSON object, or {@code null} for none
     * @param timeout   how long to wait for the reply
     * @return the reply's {@code return} value (for most commands an object, {@code {}} when empty)
     * @throws QmpCommandException           when QEMU answers with an error; the connection stays usable
     * @throws QmpTimeoutException           when no reply came in time; see {@link QmpTimeoutException#wasSent()}
     * @throws QmpConnectionClosedException  when the connection is or becomes closed; QEMU may have run the command
     * @throws QmpProtocolException          when QEMU's reply broke the protocol; the connection is then closed
     * @throws QmpStateException             before {@code connect()}
     * @throws IllegalArgumentException      when the command is blank or the arguments are not an object
     */
    public JsonNode execute(String command, JsonNode arguments, Duration timeout) {
        return awaitValue(submit(command, arguments, timeout), timeout);
    }

    /** Caller thread: the loop completes the call at its timeout; the extra second only guards a dead loop. */
    private static JsonNode awaitValue(CompletableFuture<QmpReturn> call, Duration timeout) {
        return Futures.await(call, timeout.plusSeconds(1), null).value();
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
     * Sends {@code command} without waiting. The future completes exactly once, on an I/O thread,
     * with the {@code return} value or with the exceptions listed on
     * {@link #execute(String, JsonNode, Duration)}. Cancelling it does not recall a command
     * already sent: its reply is still consumed and discarded.
     */
    public CompletableFuture<JsonNode> executeAsync(String command, JsonNode arguments, Duration timeout) {
        return submit(command, arguments, timeout).thenApply(QmpReturn::value);
    }

    private CompletableFuture<QmpReturn> submit(String command, Object arguments, Duration timeout) {
        if (validateCommands) {
            SchemaCache.validate(schema(), command, arguments);
        }
        return send(command, arguments, timeout);
    }

    private CompletableFuture<QmpReturn> send(String command, Object arguments, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        byte[] request = QmpJson.request(command, arguments, null, false);
        Session s;
        synchronized (lock) {
            if (state == ConnectionState.CLOSED || state == ConnectionState.CLOSING) {
                throw new QmpConnectionClosedException(command + ": connection to " + socketPath + " is closed",
                        session == null ? null : session.terminated().getNow(null));
            }
            requireState(command, ConnectionState.RUNNING);
            s = session;
        }
        PendingCall call = new PendingCall(command, request, timeout);
        eventMark.get()[0] = events.sequence();
        s.submit(call);
        return call.future();
    }

    /**
     * The connected QEMU's QMP schema ({@code query-qmp-schema}): fetched on the first call (one
     * 207 KB reply for QEMU 7.2; tens of milliseconds with parsing), then cached for the
     * connection's life. Thread-safe; concurrent first callers share one fetch. Call it from a
     * caller thread, not from a completion stage running on an I/O thread. A connection built with
     * {@link QmpConnectionBuilder#validateCommands(boolean)} has it from {@code connect()} on.
     *
     * @throws QmpStateException   before {@code connect()}
     * @throws QmpTimeoutException when the schema does not arrive within the command timeout
     * @throws QmpCommandException when QEMU refuses {@code query-qmp-schema} (QEMU before 2.5 lacks it)
     */
    public QmpSchema schema() {
        return schema.get(() -> awaitValue(send("query-qmp-schema", null, commandTimeout), commandTimeout));
    }

    private void requireState(String action, ConnectionState required) {
        if (state != required) {
            throw new QmpStateException(action, state, required.name());
        }
    }

    /**
     * Subscribes to events matching {@code filter}, buffering up to the builder's
     * {@link QmpConnectionBuilder#eventBufferSize(int) event buffer size} with
     * {@link OverflowPolicy#DROP_OLDEST}. Subscribe before sending the command that causes the
     * events.
     */
    public EventSubscription subscribe(EventFilter filter) {
        return subscribe(filter, eventBufferSize, OverflowPolicy.DROP_OLDEST);
    }

    /** Subscribes to events matching {@code filter} with a buffer of {@code capacity} events and {@code policy}. */
    public EventSubscription subscribe(EventFilter filter, int capacity, OverflowPolicy policy) {
        return events.subscribe(Objects.requireNonNull(filter, "filter"), capacity,
                Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Calls {@code listener} with every event matching {@code filter}, one at a time and in
     * order, on the event executor. Events wait in a bounded buffer (the builder's event buffer
     * size, {@link OverflowPolicy#DROP_OLDEST}) while the listener is busy. Close the returned
     * subscription to stop.
     */
    public EventSubscription onEvent(EventFilter filter, Consumer<QmpEvent> listener) {
        return events.listen(Objects.requireNonNull(filter, "filter"), eventBufferSize, OverflowPolicy.DROP_OLDEST,
                listener, eventExecutor);
    }

    /**
     * Waits for an event matching {@code filter} that arrived after the calling thread last sent a
     * command on this connection (or, if it sent none, after this call). So
     * {@code execute("stop"); awaitEvent(EventFilter.named("STOP"), t)} cannot miss the STOP that
     * QEMU sends before the reply. The connection keeps the last {@value EventHub#HISTORY_SIZE}
     * events for this. Each returned event moves the thread's mark past it, so consecutive calls
     * return consecutive events.
     *
     * @throws QmpTimeoutException          when no matching event arrives in time
     * @throws QmpConnectionClosedException when the connection closed and no matching event had arrived
     */
    public QmpEvent awaitEvent(EventFilter filter, Duration timeout) {
        long[] mark = eventMark.get();
        long after = mark[0] >= 0 ? mark[0] : events.sequence();
        EventHub.Numbered found = events.await(Objects.requireNonNull(filter, "filter"), after, timeout);
        mark[0] = found.sequence();
        return found.event();
    }

    /** The monitor socket this connection uses. */
    public Path socketPath() {
        return socketPath;
    }

    /** The total time allowed for {@code connect()}. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The default time a command waits for its reply. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** The largest message accepted, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    boolean oobRequested() {
        return enableOob;
    }

    boolean validatesCommands() {
        return validateCommands;
    }

    int eventBufferSize() {
        return eventBufferSize;
    }

    Executor eventExecutor() {
        return eventExecutor;
    }

    @Override
    public String toString() {
        return "QmpConnection[" + socketPath + ", " + state + "]";
    }
}
